package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantEngine;
import com.soportemax.assistant.AssistantSettings;
import com.soportemax.chat.BotAnswer;
import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Retrieval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Answers one customer message: gathers the inputs (settings, the conversation before this message, retrieval,
 * curated answers), lets {@link Triage} decide, runs the model when triage asks for it (streamed through the
 * hold-back window), and applies the decision in one place ({@link #apply}): a reply, or an escalation with the
 * reason and the draft, and the decision in {@code bot_answers}. Whatever goes wrong on the way ends in the one
 * catch of {@link #answer}: the conversation is escalated, never lost.
 */
@Service
public class AnswerPipeline {

    private static final Logger log = LoggerFactory.getLogger(AnswerPipeline.class);
    /** Extra wait beyond the request's own timeout before the engine is presumed stuck. */
    private static final Duration ENGINE_GRACE = Duration.ofSeconds(5);

    private final BotReplies replies;
    private final KnowledgeBase knowledge;
    private final AssistantEngine engine;
    private final AssistantSettingsStore settingsStore;
    private final BotAnswerLog answers;
    private final CuratedAnswers curated;
    private final AssistantSettings settings;
    private final Triage triage;
    private final TransactionTemplate transaction;

    AnswerPipeline(BotReplies replies, KnowledgeBase knowledge, AssistantEngine engine,
                   AssistantSettingsStore settingsStore, BotAnswerLog answers, CuratedAnswers curated,
                   Calibration calibration, AssistantSettings settings, PlatformTransactionManager transactions) {
        this.replies = replies;
        this.knowledge = knowledge;
        this.engine = engine;
        this.settingsStore = settingsStore;
        this.answers = answers;
        this.curated = curated;
        this.settings = settings;
        this.triage = new Triage(calibration, settings);
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Answers or escalates; a message already handled (an event delivered again after a restart) is skipped. */
    public void answer(CustomerMessagePosted message) {
        if (answers.handled(message.conversationId(), message.seq())) return;
        Progress progress = new Progress();
        AnswerInputs inputs = null;
        Decision decision;
        try {
            inputs = gather(message);
            decision = switch (triage.decide(inputs)) {
                case Decision decided -> decided;
                case Step.Generate generate -> generate(inputs, generate, progress);
            };
        } catch (RuntimeException e) {
            log.warn("Answering message {} of conversation {} failed; escalating: {}", message.seq(),
                    message.conversationId(), e.toString());
            decision = Triage.failed(inputs, failure(e), progress.written());
        }
        apply(message, inputs, decision, progress);
    }

    /** Escalates a message that could not even be queued (the assistant is overloaded). */
    void escalateUnanswered(CustomerMessagePosted message, String why) {
        if (answers.handled(message.conversationId(), message.seq())) return;
        apply(message, null, Triage.failed(null, why, ""), new Progress());
    }

    /**
     * Records that a newer message of the same conversation took this one's place in the queue: the newer answer
     * sees this message in its history, so this one gets no reply of its own.
     */
    void supersede(CustomerMessagePosted message) {
        if (answers.handled(message.conversationId(), message.seq())) return;
        answers.record(new BotAnswerRecord(message.conversationId(), message.seq(), Optional.empty(),
                BotAnswerRecord.Mode.SCRIPTED, BotAnswerRecord.Outcome.SUPERSEDED, Optional.empty(),
                "superseded by a newer message of the conversation while waiting in the answer queue", "",
                ConfidenceScore.none("superseded"), List.of(), settingsStore.current().version(), Optional.empty(),
                Optional.empty()));
    }

    /** What a decision is computed from; read-only. */
    AnswerInputs gather(CustomerMessagePosted message) {
        SettingsVersion version = settingsStore.current();
        CustomerText text = CustomerText.of(message.text());
        String language = text.language(locale(message.locale()));
        List<ChatTurn> history = settings.historyMessages() == 0 ? List.of()
                : replies.history(message.conversationId(), message.seq(), settings.historyMessages());
        Retrieval retrieval = knowledge.retrieve(message.text(), language, settings.passages());
        return new AnswerInputs(message, text, language, version, history, retrieval,
                curated.bestMatch(message.text()), answers.memory(message.conversationId(), message.seq()),
                engine.model().isPresent());
    }

    private Decision generate(AnswerInputs in, Step.Generate step, Progress progress) {
        LanguageModel model = engine.model().orElseThrow(() -> new IllegalStateException("the model went away"));
        progress.modelName = Optional.of(model.info().name());
        int contextLength = Math.min(settings.contextLength(),
                model.info().contextLength() > 0 ? model.info().contextLength() : Integer.MAX_VALUE);
        SettingsVersion version = in.settings();
        AnswerPrompt prompt = AnswerPrompt.fit(model, contextLength, version.maxAnswerTokens(), version.systemPrompt(),
                in.language(), PromptCanary.value(), step.passages(), in.history(), in.message().text());
        progress.botSeq = replies.begin(in.message().conversationId());
        GenerationRequest request = new GenerationRequest(prompt.prompt(),
                SamplingSettings.of(version.temperature(), version.topP(), ThreadLocalRandom.current().nextLong()),
                version.maxAnswerTokens(), List.of(), settings.generationTimeout())
                .withSession("conversation-" + in.message().conversationId());
        try (HeldBackStream stream = new HeldBackStream(replies, in.message().conversationId(), progress.botSeq,
                settings.holdBackChars(), Triage.forbidden(in))) {
            progress.stream = stream;
            CompletableFuture<Completion> generation = model.generate(request, stream);
            try {
                CompletableFuture.anyOf(generation, stream.stopped())
                        .get(settings.generationTimeout().plus(ENGINE_GRACE).toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                generation.cancel(true);
                throw new EngineFailure("the language model gave no answer within "
                        + settings.generationTimeout().toSeconds() + " s");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new EngineFailure("the language model failed: " + cause.getMessage());
            } catch (InterruptedException e) {
                generation.cancel(true);
                Thread.currentThread().interrupt();
                throw new EngineFailure("the answer was interrupted (shutting down)");
            }
            if (stream.stopped().isDone()) {
                generation.cancel(true);
                return triage.stopped(in, prompt.passages(), stream.stopped().join(), stream.written(),
                        stream.meanLogProb(), stream.lowestTokenProbability());
            }
            Completion completion = generation.join();
            progress.stats = Optional.of(new BotAnswerRecord.GenerationStats(completion.promptTokens(),
                    completion.completionTokens(), completion.prefillTime().toMillis(),
                    completion.decodeTime().toMillis(), completion.decodeTokensPerSecond()));
            return triage.judge(in, prompt.passages(), completion);
        }
    }

    /** The one place a decision is written: the reply or the escalation, with its record, in one transaction. */
    private void apply(CustomerMessagePosted message, AnswerInputs in, Decision decision, Progress progress) {
        int settingsVersion = in != null ? in.settings().version() : settingsStore.current().version();
        transaction.executeWithoutResult(status -> {
            // An answer the model streamed completes its open message; any other reply is written whole, at once.
            Optional<BotAnswer> reply = switch (decision) {
                case Decision.Escalate e -> Optional.empty();
                case Decision.Deliver d -> Optional.of(new BotAnswer(d.text(), d.confidence().value(), d.sources()));
                case Decision.Clarify c -> Optional.of(new BotAnswer(c.question(), 1, List.of()));
                case Decision.SmallTalk s -> Optional.of(new BotAnswer(s.reply(), 1, List.of()));
            };
            long seq = progress.botSeq;
            if (seq == 0 && reply.isPresent()) seq = replies.reply(message.conversationId(), reply.get());
            BotAnswerRecord.Mode mode = switch (decision) {
                case Decision.Deliver d -> d.mode();
                case Decision.Escalate e -> e.mode();
                case Decision.Clarify c -> BotAnswerRecord.Mode.SCRIPTED;
                case Decision.SmallTalk s -> BotAnswerRecord.Mode.SCRIPTED;
            };
            BotAnswerRecord.Outcome outcome = switch (decision) {
                case Decision.Deliver d -> BotAnswerRecord.Outcome.DELIVERED;
                case Decision.Escalate e -> BotAnswerRecord.Outcome.ESCALATED;
                case Decision.Clarify c -> BotAnswerRecord.Outcome.CLARIFIED;
                case Decision.SmallTalk s -> BotAnswerRecord.Outcome.SMALL_TALK;
            };
            String text = switch (decision) {
                case Decision.Deliver d -> d.text();
                case Decision.Escalate e -> e.draft();
                case Decision.Clarify c -> c.question();
                case Decision.SmallTalk s -> s.reply();
            };
            boolean first = answers.record(new BotAnswerRecord(message.conversationId(), message.seq(),
                    seq > 0 ? Optional.of(seq) : Optional.empty(), mode, outcome,
                    decision instanceof Decision.Escalate e ? Optional.of(e.reason()) : Optional.empty(),
                    decision.detail(), text, decision.confidence(),
                    decision.passages().stream().map(PassageUsed::of).toList(), settingsVersion,
                    progress.modelName, progress.stats));
            if (!first) {
                status.setRollbackOnly();
                return;
            }
            if (decision instanceof Decision.Escalate e) {
                replies.escalate(message.conversationId(), seq, e.reason(), e.detail(), e.draft());
            } else if (progress.botSeq > 0) {
                replies.deliver(message.conversationId(), seq, reply.orElseThrow());
            }
        });
    }

    private static String failure(RuntimeException e) {
        return e instanceof EngineFailure ? e.getMessage() : "the assistant failed: " + e.getMessage();
    }

    private static String locale(String locale) {
        return locale != null && locale.toLowerCase(Locale.ROOT).startsWith("en") ? "en" : "es";
    }

    /** The effects a generation had before the decision: the bot message opened, what the model wrote. */
    private static final class Progress {
        long botSeq;
        HeldBackStream stream;
        Optional<String> modelName = Optional.empty();
        Optional<BotAnswerRecord.GenerationStats> stats = Optional.empty();

        String written() {
            return stream == null ? "" : stream.written();
        }
    }

    /** The engine failed, timed out or was interrupted; the message says which, for the agent. */
    static final class EngineFailure extends RuntimeException {
        EngineFailure(String message) {
            super(message);
        }
    }
}
