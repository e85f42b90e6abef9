package com.soportemax.assistant.internal;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The confidence model in force (the versioned resource), and what its thresholds do on its labelled messages. */
@Component
public class Calibration {

    static final String RESOURCE = "assistant/confidence-model.json";

    private final ConfidenceModel model;

    Calibration() {
        this(load());
    }

    Calibration(ConfidenceModel model) {
        this.model = model;
    }

    ConfidenceModel model() {
        return model;
    }

    ConfidenceScore score(ConfidenceFeatures features) {
        return ConfidenceScore.of(features, model.probability(features),
                model.version() + (features.generated() ? "/with-model" : "/retrieval-only"));
    }

    /**
     * One row of the what-if table: at this threshold, the share of the labelled messages that would be answered,
     * and the share answered wrongly.
     */
    public record WhatIf(double threshold, double answered, double answeredWrongly) {
    }

    /** Thresholds 0.3 to 0.9 on the fitted (last labelled) messages. */
    public List<WhatIf> whatIf() {
        List<WhatIf> rows = new ArrayList<>();
        int n = model.sample().size();
        for (int t = 3; t <= 9; t++) {
            double threshold = t / 10.0;
            long answered = model.sample().stream().filter(l -> l.probability() >= threshold).count();
            long wrong = model.sample().stream().filter(l -> l.probability() >= threshold && !l.right()).count();
            rows.add(new WhatIf(threshold, n == 0 ? 0 : (double) answered / n, n == 0 ? 0 : (double) wrong / n));
        }
        return rows;
    }

    public String version() {
        return model.version();
    }

    public String fittedOn() {
        return model.fittedOn();
    }

    static ConfidenceModel load() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            return JsonMapper.builder().build().readValue(in, ConfidenceModel.class);
        } catch (IOException e) {
            throw new UncheckedIOException("The assistant's confidence model " + RESOURCE + " is missing from the "
                    + "classpath; rebuild the application", e);
        }
    }
}
