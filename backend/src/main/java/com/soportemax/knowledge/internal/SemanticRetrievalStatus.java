package com.soportemax.knowledge.internal;

import org.springframework.stereotype.Service;

import java.text.NumberFormat;
import java.util.Locale;

/** For admins: whether questions are also matched by meaning, and how far the passages' vectors are. */
@Service
public class SemanticRetrievalStatus {

    /**
     * @param state    OFF (no model set), LOADING, READY or UNAVAILABLE (the model could not be had)
     * @param model    the configured model reference
     * @param embedded passages (distinct texts) with a vector of the model
     * @param total    passages (distinct texts)
     * @param percent  {@code embedded} as a whole percentage of {@code total}
     * @param running  whether vectors are being computed now
     * @param notice   why retrieval is lexical only and what to do, or the last embedding run's problem; empty when
     *                 all is well
     */
    public record View(String state, String model, int embedded, int total, int percent, boolean running,
                       String notice) {

        /** "embedded 340 / 1,000 passages" in the page's language. */
        public String progress(Locale locale) {
            NumberFormat numbers = NumberFormat.getIntegerInstance(locale);
            return numbers.format(embedded) + " / " + numbers.format(total);
        }
    }

    private final SemanticModel model;
    private final PassageEmbedding embedding;

    SemanticRetrievalStatus(SemanticModel model, PassageEmbedding embedding) {
        this.model = model;
        this.embedding = embedding;
    }

    public View view() {
        SemanticModel.Status status = model.status();
        PassageEmbedding.Progress progress = embedding.progress();
        String notice = status.notice();
        if (notice.isEmpty() && !progress.problem().isEmpty()) {
            notice = "Computing the passages' vectors failed: " + progress.problem() + ". It is tried again shortly.";
        }
        return new View(status.state().name(), status.reference(), progress.embedded(), progress.total(),
                progress.percent(), progress.running(), notice);
    }
}
