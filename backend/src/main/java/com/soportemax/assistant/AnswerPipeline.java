package com.soportemax.assistant;

import com.soportemax.chat.Author;
import com.soportemax.chat.BotAnswer;
import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.SourceRef;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers one customer message: explicit signals, retrieval, prompt, generation streamed to the widget,
 * confidence, then deliver with sources or escalate with the reason and the draft. Whatever goes wrong, the
 * conversation ends up either answered or in the agents' queue, and the decision is recorded in bot_answers.
 */
@Service
class AnswerPipeline {

    private static final Logger log = LoggerFactory.getLogger(AnswerPipeline.class);
    static final int MAX_SOURCES = 3;
    /** Extra wait beyond the request's own timeout before the engine is presumed stuck. */
    private static final Duration ENGINE_GRACE = Duration.ofSeconds(5);

    private final BotReplies replies;
    private final KnowledgeBase knowledge;
    private final AssistantEngine engine;
    private final AssistantSettingsStore settingsStore;
    private final BotAnswerLog answers;
    private final AssistantProperties properties;
    private final TransactionTemplate transaction;

    AnswerPipeline(BotReplies replies, KnowledgeBase knowledge, AssistantEngine engine,
                   AssistantSettingsStore settingsStore, BotAnswerLog answers, AssistantProperties properties,
                   PlatformTransactionManager transactions) {
        this.replies = replies;
        this.knowledge = knowledge;
        this.engine = engine;
        this.settingsStore = settingsStore;
        this.answers = answers;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Answers or escalates; a message already handled (an event delivered again after a restart) is skipped. */
    void answer(CustomerMessagePosted message) {
        if (answers.handled(message.conversationId(), message.seq())) return;
        AssistantSettings settings = settingsStore.current();
        Attempt attempt = new Attempt(message, settings);
        try {
            decide(attempt);
        } catch (RuntimeException e) {
            log.error("Answering message {} of conversation {} failed; escalating", message.seq(),
                    message.conversationId(), e);
            attempt.escalate(EscalationReason.ENGINE_FAILURE, "the assistant failed: " + e.getMessage(),
                    attempt.draft, ConfidenceScore.ofRetrievalOnly(attempt.bestScore()), Optional.empty());
        }
    }

    /** Escalates a message that could not even be queued (the assistant is overloaded). */
    void escalateUnanswered(CustomerMessagePosted message, String why) {
        if (answers.handled(message.conversationId(), message.seq())) return;
        new Attempt(message, settingsStore.current())
                .escalate(EscalationReason.ENGINE_FAILURE, why, "", ConfidenceScore.ofRetrievalOnly(0), Optional.empty());
    }

    private void decide(Attempt attempt) {
        CustomerMessagePosted message = attempt.message;
        AssistantSettings settings = attempt.settings;
        Optional<ExplicitSignal.Detected> signal = ExplicitSignal.detect(message.text());
        if (signal.isPresent()) {
            attempt.escalate(signal.get().signal().reason(), signal.get().detail(), "",
                    ConfidenceScore.ofSignal(signal.get().signal()), Optional.empty());
            return;
        }
        attempt.passages = knowledge.search(message.text(), attempt.locale, properties.passages()).stream()
                .sorted(Comparator.comparingDouble(Passage::score).reversed())
                .filter(p -> p.score() >= settings.minRetrievalScore())
                .toList();
        if (attempt.passages.isEmpty()) {
            attempt.escalate(EscalationReason.NO_KNOWLEDGE, "no knowledge-base passage scored at least "
                    + decimal(settings.minRetrievalScore()), "", ConfidenceScore.ofRetrievalOnly(0), Optional.empty());
            return;
        }
        Optional<LanguageModel> model = engine.model();
        if (model.isPresent()) {
            generate(attempt, model.get());
        } else {
            answerWithPassage(attempt);
        }
    }

    private void answerWithPassage(Attempt attempt) {
        attempt.mode = BotAnswerRecord.Mode.RETRIEVAL_ONLY;
        Passage best = attempt.passages.getFirst();
        attempt.passages = List.of(best);
        attempt.draft = PassageAnswer.format(best, attempt.locale);
        ConfidenceScore score = ConfidenceScore.ofRetrievalOnly(best.score());
        if (best.score() < attempt.settings.retrievalOnlyMinScore()) {
            attempt.escalate(EscalationReason.LOW_CONFIDENCE, "retrieval-only mode (no language model): best passage "
                    + "score " + decimal(best.score()) + " < " + decimal(attempt.settings.retrievalOnlyMinScore()),
                    attempt.draft, score, Optional.empty());
            return;
        }
        attempt.botSeq = replies.begin(attempt.message.conversationId());
        replies.stream(attempt.message.conversationId(), attempt.botSeq, attempt.draft);
        attempt.deliver(attempt.draft, score, Optional.empty());
    }

    private void generate(Attempt attempt, LanguageModel model) {
        CustomerMessagePosted message = attempt.message;
        AssistantSettings settings = attempt.settings;
        attempt.modelName = Optional.of(model.info().name());
        List<ChatTurn> history = earlierTurns(message);
        int contextLength = Math.min(properties.contextLength(),
                model.info().contextLength() > 0 ? model.info().contextLength() : Integer.MAX_VALUE);
        AnswerPrompt prompt;
        try {
            prompt = AnswerPrompt.fit(model, contextLength, settings.maxAnswerTokens(), settings.systemPrompt(),
                    attempt.locale, attempt.passages, history, message.text());
        } catch (ContextOverflowException e) {
            attempt.escalate(EscalationReason.ENGINE_FAILURE, e.getMessage(), "",
                    ConfidenceScore.ofRetrievalOnly(attempt.bestScore()), Optional.empty());
            return;
        }
        attempt.passages = prompt.passages();
        attempt.botSeq = replies.begin(message.conversationId());
        GenerationRequest request = new GenerationRequest(prompt.prompt(),
                SamplingSettings.of(settings.temperature(), settings.topP(), ThreadLocalRandom.current().nextLong()),
                settings.maxAnswerTokens(), List.of(), properties.generationTimeout())
                .withSession("conversation-" + message.conversationId());
        Completion completion;
        CompletableFuture<Completion> generation = null;
        try (DeltaStream deltas = new DeltaStream(replies, message.conversationId(), attempt.botSeq)) {
            generation = model.generate(request, deltas);
            completion = generation.get(properties.generationTimeout().plus(ENGINE_GRACE).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            generation.cancel(true);
            attempt.escalate(EscalationReason.ENGINE_FAILURE, "the language model gave no answer within "
                    + properties.generationTimeout().toSeconds() + " s", "",
                    ConfidenceScore.ofRetrievalOnly(attempt.bestScore()), Optional.empty());
            return;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            log.warn("The language model failed on conversation {}: {}", message.conversationId(), cause.toString());
            attempt.escalate(EscalationReason.ENGINE_FAILURE, "the language model failed: " + cause.getMessage(), "",
                    ConfidenceScore.ofRetrievalOnly(attempt.bestScore()), Optional.empty());
            return;
        } catch (InterruptedException e) {
            if (generation != null) generation.cancel(true);
            Thread.currentThread().interrupt();
            attempt.escalate(EscalationReason.ENGINE_FAILURE, "the answer was interrupted (shutting down)", "",
                    ConfidenceScore.ofRetrievalOnly(attempt.bestScore()), Optional.empty());
            return;
        } catch (RuntimeException e) {
            log.warn("The language model failed on conversation {}", message.conversationId(), e);
            attempt.escalate(EscalationReason.ENGINE_FAILURE, "the language model failed: " + e.getMessage(), "",
                    ConfidenceScore.ofRetrievalOnly(attempt.bestScore()), Optional.empty());
            return;
        }
        attempt.draft = completion.text().strip();
        ConfidenceScore score = ConfidenceScore.ofGeneration(attempt.bestScore(), completion);
        Optional<BotAnswerRecord.GenerationStats> stats = Optional.of(new BotAnswerRecord.GenerationStats(
                completion.promptTokens(), completion.completionTokens(), completion.prefillTime().toMillis(),
                completion.decodeTime().toMillis(), completion.decodeTokensPerSecond()));
        Optional<String> unfit = DraftCheck.problem(completion, attempt.draft);
        if (attempt.draft.isEmpty()) {
            attempt.escalate(EscalationReason.LOW_CONFIDENCE, "the language model wrote an empty answer ("
                    + completion.stopReason() + ")", "", score, stats);
        } else if (unfit.isPresent()) {
            attempt.escalate(EscalationReason.LOW_CONFIDENCE, unfit.get() + "; confidence " + score.explain(),
                    attempt.draft, score, stats);
        } else if (score.value() < settings.minConfidence()) {
            attempt.escalate(EscalationReason.LOW_CONFIDENCE, "confidence " + score.explain() + " < "
                    + decimal(settings.minConfidence()), attempt.draft, score, stats);
        } else {
            attempt.deliver(attempt.draft, score, stats);
        }
    }

    /** The conversation before this message, oldest first (the history already holds the message itself). */
    private List<ChatTurn> earlierTurns(CustomerMessagePosted message) {
        if (properties.historyMessages() == 0) return List.of();
        List<ChatTurn> turns = new ArrayList<>(replies.history(message.conversationId(), properties.historyMessages() + 1));
        if (!turns.isEmpty() && turns.getLast().author() == Author.CUSTOMER
                && turns.getLast().text().strip().equals(message.text().strip())) {
            turns.removeLast();
        }
        turns.removeIf(turn -> turn.text() == null || turn.text().isBlank());
        while (turns.size() > properties.historyMessages()) turns.removeFirst();
        return turns;
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String locale(String locale) {
        return locale != null && locale.toLowerCase(Locale.ROOT).startsWith("en") ? "en" : "es";
    }

    /** The state of answering one message, and the two ways it ends. */
    private final class Attempt {

        final CustomerMessagePosted message;
        final AssistantSettings settings;
        final String locale;
        List<Passage> passages = List.of();
        BotAnswerRecord.Mode mode = BotAnswerRecord.Mode.LLM;
        long botSeq;
        String draft = "";
        Optional<String> modelName = Optional.empty();

        Attempt(CustomerMessagePosted message, AssistantSettings settings) {
            this.message = message;
            this.settings = settings;
            this.locale = locale(message.locale());
        }

        double bestScore() {
            return passages.isEmpty() ? 0 : passages.getFirst().score();
        }

        void deliver(String text, ConfidenceScore score, Optional<BotAnswerRecord.GenerationStats> stats) {
            BotAnswer answer = new BotAnswer(text, score.value(), sources());
            transaction.executeWithoutResult(status -> {
                answers.record(record(Optional.empty(), "delivered with confidence " + score.explain(), text, score, stats));
                replies.deliver(message.conversationId(), botSeq, answer);
            });
        }

        void escalate(EscalationReason reason, String detail, String botDraft, ConfidenceScore score,
                      Optional<BotAnswerRecord.GenerationStats> stats) {
            transaction.executeWithoutResult(status -> {
                answers.record(record(Optional.of(reason), detail, botDraft, score, stats));
                replies.escalate(message.conversationId(), botSeq, reason, detail, botDraft);
            });
        }

        private BotAnswerRecord record(Optional<EscalationReason> reason, String detail, String text,
                                       ConfidenceScore score, Optional<BotAnswerRecord.GenerationStats> stats) {
            return new BotAnswerRecord(message.conversationId(), message.seq(),
                    botSeq > 0 ? Optional.of(botSeq) : Optional.empty(), mode, reason, detail, text, score,
                    passages.stream().map(PassageUsed::of).toList(), settings.version(), modelName, stats);
        }

        /** Distinct articles of the passages used, best first. */
        private List<SourceRef> sources() {
            Map<String, SourceRef> byArticle = new LinkedHashMap<>();
            for (Passage p : passages) {
                String key = p.articleId() != null ? p.articleId().toString() : p.title();
                byArticle.putIfAbsent(key, new SourceRef(p.externalId(), p.title()));
            }
            return byArticle.values().stream().limit(MAX_SOURCES).toList();
        }
    }
}
