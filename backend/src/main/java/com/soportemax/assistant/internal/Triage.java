package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.SourceRef;
import com.soportemax.inference.engine.Completion;
import com.soportemax.knowledge.Passage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The assistant's decisions as functions of their inputs, with no effects: {@link #decide} before any generation
 * (explicit signals, small talk, curated answers, vague messages, retrieval), {@link #judge} once the model has
 * written an answer. The pipeline gathers the inputs, runs the model when told to, and applies the decision.
 */
final class Triage {

    static final int MAX_SOURCES = 3;

    private final Calibration calibration;
    private final AssistantSettings settings;

    Triage(Calibration calibration, AssistantSettings settings) {
        this.calibration = calibration;
        this.settings = settings;
    }

    Step decide(AnswerInputs in) {
        Optional<ExplicitSignal.Detected> signal = ExplicitSignal.detect(in.text());
        if (signal.isPresent()) {
            return new Decision.Escalate(signal.get().signal().reason(), signal.get().detail(), "", mode(in),
                    ConfidenceScore.ofSignal(signal.get().signal()), List.of());
        }
        Optional<String> smallTalk = SmallTalk.reply(in.text(), in.language());
        if (smallTalk.isPresent()) {
            return new Decision.SmallTalk(smallTalk.get(), "small talk: "
                    + SmallTalk.kind(in.text()).orElseThrow().name().toLowerCase(Locale.ROOT));
        }
        if (in.curated().isPresent() && in.curated().get().similarity() >= settings.curatedMinSimilarity()) {
            CuratedAnswers.Match match = in.curated().get();
            ConfidenceScore score = ConfidenceScore.of(ConfidenceFeatures.of(in.retrieval()), match.similarity(),
                    "curated-similarity");
            return new Decision.Deliver(match.answer().answer(), List.of(match.answer().source()),
                    BotAnswerRecord.Mode.CURATED, score, List.of(), String.format(Locale.ROOT,
                    "curated answer \"%s\" (similarity %.2f)", match.answer().question(), match.similarity()));
        }
        if (Vagueness.isVague(in.text())) {
            if (in.memory().clarified()) {
                return new Decision.Escalate(EscalationReason.NO_KNOWLEDGE, "still unclear after one clarifying "
                        + "question", "", mode(in), ConfidenceScore.none("vague"), List.of());
            }
            return new Decision.Clarify(Vagueness.clarifyingQuestion(in.language()), "too vague to answer: "
                    + "asked one clarifying question");
        }
        List<Passage> passages = in.retrieval().passages();
        if (passages.isEmpty()) {
            return new Decision.Escalate(EscalationReason.NO_KNOWLEDGE, "no knowledge-base passage matches the message",
                    "", mode(in), ConfidenceScore.of(ConfidenceFeatures.of(in.retrieval()), 0, calibration.version()),
                    List.of());
        }
        Optional<String> advice = AdviceRequest.notCovered(in.text(), in.retrieval().coverage());
        if (advice.isPresent()) {
            return new Decision.Escalate(EscalationReason.NO_KNOWLEDGE, "asks for advice (\"" + advice.get()
                    + "\") on something the best passage does not cover (" + percent(in.retrieval().coverage())
                    + " of the message's topic words)", "", mode(in),
                    calibration.score(ConfidenceFeatures.of(in.retrieval())), List.of());
        }
        if (in.withModel()) {
            if (in.retrieval().topScore() < in.settings().minRetrievalScore()) {
                return new Decision.Escalate(EscalationReason.NO_KNOWLEDGE, "no passage scored at least "
                        + decimal(in.settings().minRetrievalScore()) + " (minRetrievalScore)", "", mode(in),
                        calibration.score(ConfidenceFeatures.of(in.retrieval())), passages);
            }
            return new Step.Generate(passages);
        }
        Passage best = passages.getFirst();
        ConfidenceScore score = calibration.score(ConfidenceFeatures.of(in.retrieval()));
        String draft = PassageAnswer.format(best, in.language());
        if (score.value() < in.settings().retrievalOnlyMinScore()) {
            EscalationReason reason = score.value() < in.settings().retrievalOnlyMinScore() / 2
                    ? EscalationReason.NO_KNOWLEDGE : EscalationReason.LOW_CONFIDENCE;
            return new Decision.Escalate(reason, "retrieval-only mode (no language model): confidence "
                    + score.explain() + " < " + decimal(in.settings().retrievalOnlyMinScore()), draft,
                    BotAnswerRecord.Mode.RETRIEVAL_ONLY, score, List.of(best));
        }
        return new Decision.Deliver(draft, sources(List.of(best)), BotAnswerRecord.Mode.RETRIEVAL_ONLY, score,
                List.of(best), "retrieval-only mode: delivered with confidence " + score.explain());
    }

    /** The decision on the model's finished answer to {@code prompted} passages. */
    Decision judge(AnswerInputs in, List<Passage> prompted, Completion completion) {
        String draft = completion.text().strip();
        Grounding grounding = Grounding.of(draft, prompted, in.message().text());
        ConfidenceScore score = calibration.score(ConfidenceFeatures.of(in.retrieval())
                .withGeneration(completion, grounding.share()));
        if (draft.isEmpty()) {
            return escalate(EscalationReason.LOW_CONFIDENCE, "the language model wrote an empty answer ("
                    + completion.stopReason() + ")", "", score, prompted);
        }
        Optional<String> unfit = DraftCheck.finished(completion, draft, forbidden(in));
        if (unfit.isPresent()) {
            return escalate(EscalationReason.LOW_CONFIDENCE, unfit.get() + "; confidence " + score.explain(), draft,
                    score, prompted);
        }
        if (ModelAnswer.saysItDoesNotKnow(draft)) {
            return escalate(EscalationReason.NO_KNOWLEDGE, "the language model says the passages do not answer the "
                    + "message", draft, score, prompted);
        }
        if (!grounding.unsupportedNumbers().isEmpty()) {
            return escalate(EscalationReason.LOW_CONFIDENCE, "the answer states " + grounding.unsupportedNumbers()
                    + ", which no passage says; confidence " + score.explain(), draft, score, prompted);
        }
        if (score.value() < in.settings().minConfidence()) {
            return escalate(EscalationReason.LOW_CONFIDENCE, "confidence " + score.explain() + " < "
                    + decimal(in.settings().minConfidence()), draft, score, prompted);
        }
        return new Decision.Deliver(draft, sources(prompted), BotAnswerRecord.Mode.LLM, score, prompted,
                "delivered with confidence " + score.explain());
    }

    /** The answer was stopped while the model wrote it (a live check failed): scored on the tokens written. */
    Decision stopped(AnswerInputs in, List<Passage> prompted, String reason, String written, double meanLogProb,
                     double lowestTokenProbability) {
        double grounding = Grounding.of(written, prompted, in.message().text()).share();
        ConfidenceScore score = calibration.score(ConfidenceFeatures.of(in.retrieval())
                .withTokens(meanLogProb, lowestTokenProbability, grounding));
        return escalate(EscalationReason.LOW_CONFIDENCE, "stopped while writing: " + reason + "; confidence "
                + score.explain(), written.strip(), score, prompted);
    }

    /** Anything that went wrong while answering: the engine, a timeout, the pipeline itself. */
    static Decision failed(AnswerInputs in, String detail, String written) {
        double top = in == null ? 0 : in.retrieval().topScore();
        return new Decision.Escalate(EscalationReason.ENGINE_FAILURE, detail, written == null ? "" : written.strip(),
                in == null || in.withModel() ? BotAnswerRecord.Mode.LLM : BotAnswerRecord.Mode.RETRIEVAL_ONLY,
                in == null ? ConfidenceScore.none("failure") : ConfidenceScore.of(ConfidenceFeatures.of(in.retrieval()),
                        0, "failure"), in == null ? List.of() : in.retrieval().passages().stream().limit(1).toList());
    }

    /** What the customer must never read for these inputs. */
    static ForbiddenContent forbidden(AnswerInputs in) {
        return new ForbiddenContent(PromptCanary.value(), in.settings().systemPrompt());
    }

    private static Decision.Escalate escalate(EscalationReason reason, String detail, String draft,
                                              ConfidenceScore score, List<Passage> passages) {
        return new Decision.Escalate(reason, detail, draft, BotAnswerRecord.Mode.LLM, score, passages);
    }

    private static BotAnswerRecord.Mode mode(AnswerInputs in) {
        return in.withModel() ? BotAnswerRecord.Mode.LLM : BotAnswerRecord.Mode.RETRIEVAL_ONLY;
    }

    /** Distinct articles of the passages, best first. */
    static List<SourceRef> sources(List<Passage> passages) {
        Map<String, SourceRef> byArticle = new LinkedHashMap<>();
        for (Passage p : passages) {
            String key = p.articleId() != null ? p.articleId().toString() : p.title();
            byArticle.putIfAbsent(key, new SourceRef(p.externalId(), p.title()));
        }
        return byArticle.values().stream().limit(MAX_SOURCES).toList();
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
