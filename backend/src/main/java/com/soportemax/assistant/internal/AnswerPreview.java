package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantEngine;
import com.soportemax.assistant.AssistantSettings;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.inference.engine.TokenListener;
import com.soportemax.knowledge.Passage;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * "Test the assistant": what it would do with a message, computed exactly as for a customer (same inputs, same
 * {@link Triage}; with a model the answer is generated, not streamed) but with no effect: nothing is written to any
 * conversation or to {@code bot_answers}.
 */
@Service
public class AnswerPreview {

    /**
     * One passage as admins see it: its lexical score, its semantic similarity (null without an embedding model) and
     * the score retrieval fused them into (see {@link com.soportemax.knowledge.Retrieval.Scores}).
     */
    public record PreviewPassage(String externalId, String title, String text, double lexical, Double semantic,
                                 double fused) {
    }

    /**
     * @param decision   DELIVER, ESCALATE, CLARIFY or SMALL_TALK
     * @param reason     the escalation reason, null unless escalated
     * @param reply      what the customer would read (or the draft the agent would get)
     * @param why        the decision's explanation
     * @param semantic   whether an embedding model took part in retrieval
     */
    public record Preview(String language, String decision, String reason, String reply, String why,
                          Confidence confidence, List<PreviewPassage> passages, boolean semantic,
                          Curated curated, String mode) {
    }

    /** The confidence and every part it was computed from. */
    public record Confidence(double value, String calibration, double retrieval, double margin, double coverage,
                             int topicWords, Double meanTokenProbability, Double lowestTokenProbability,
                             Double grounding, String signal) {
    }

    /** The closest curated answer and how close it is (given as is from {@code curatedMinSimilarity}). */
    public record Curated(String question, String matchedText, double similarity, double threshold) {
    }

    private final AnswerPipeline pipeline;
    private final AssistantEngine engine;
    private final AssistantSettings settings;
    private final Triage triage;
    private final Clock clock;

    AnswerPreview(AnswerPipeline pipeline, AssistantEngine engine, AssistantSettings settings, Calibration calibration,
                  ObjectProvider<Clock> clock) {
        this.pipeline = pipeline;
        this.engine = engine;
        this.settings = settings;
        this.triage = new Triage(calibration, settings);
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    public Preview preview(String text, String locale) {
        CustomerMessagePosted message = new CustomerMessagePosted(ConversationId.random(), 1, text,
                locale == null ? "es" : locale, clock.instant());
        AnswerInputs in = pipeline.gather(message);
        Decision decision = switch (triage.decide(in)) {
            case Decision decided -> decided;
            case Step.Generate generate -> generate(in, generate);
        };
        ConfidenceScore c = decision.confidence();
        Confidence confidence = new Confidence(c.value(), c.calibration(), c.retrieval(), c.margin(), c.coverage(),
                c.topicWords(), c.meanLogProb().map(Math::exp).orElse(null), c.minTokenProb().orElse(null),
                c.grounding().orElse(null), c.signal().map(Enum::name).orElse(null));
        List<Passage> found = in.retrieval().passages();
        List<PreviewPassage> passages = java.util.stream.IntStream.range(0, found.size()).mapToObj(i -> {
            Passage p = found.get(i);
            var scores = in.retrieval().scores().get(i);
            return new PreviewPassage(p.externalId(), p.title(), snippet(p), scores.lexical(), scores.semantic(),
                    p.score());
        }).toList();
        Curated curated = in.curated().map(m -> new Curated(m.answer().question(), m.matchedText(), m.similarity(),
                settings.curatedMinSimilarity())).orElse(null);
        return switch (decision) {
            case Decision.Deliver d -> new Preview(in.language(), "DELIVER", null, d.text(), d.detail(), confidence,
                    passages, in.retrieval().semantic(), curated, d.mode().name());
            case Decision.Escalate e -> new Preview(in.language(), "ESCALATE", e.reason().name(), e.draft(),
                    e.detail(), confidence, passages, in.retrieval().semantic(), curated, e.mode().name());
            case Decision.Clarify q -> new Preview(in.language(), "CLARIFY", null, q.question(), q.detail(),
                    confidence, passages, in.retrieval().semantic(), curated, "SCRIPTED");
            case Decision.SmallTalk s -> new Preview(in.language(), "SMALL_TALK", null, s.reply(), s.detail(),
                    confidence, passages, in.retrieval().semantic(), curated, "SCRIPTED");
        };
    }

    private Decision generate(AnswerInputs in, Step.Generate step) {
        LanguageModel model = engine.model().orElseThrow();
        try {
            SettingsVersion version = in.settings();
            int contextLength = Math.min(settings.contextLength(),
                    model.info().contextLength() > 0 ? model.info().contextLength() : Integer.MAX_VALUE);
            AnswerPrompt prompt = AnswerPrompt.fit(model, contextLength, version.maxAnswerTokens(),
                    version.systemPrompt(), in.language(), PromptCanary.value(), step.passages(), in.history(),
                    in.message().text());
            Completion completion = model.generate(new GenerationRequest(prompt.prompt(),
                            SamplingSettings.of(version.temperature(), version.topP(), 1), version.maxAnswerTokens(),
                            List.of(), settings.generationTimeout()), TokenListener.NONE)
                    .get(settings.generationTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
            return triage.judge(in, prompt.passages(), completion);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            return Triage.failed(in, "the language model failed: " + e, "");
        }
    }

    private static String snippet(Passage p) {
        String text = p.text().strip();
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
