package com.soportemax.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one mode's run: retrieval quality over the answerable messages (rank of the right article in the
 * knowledge search), then what the assistant did with each message.
 *
 * @param mode     "retrieval-only" or "model"
 * @param assistant the assistant's mode as its status API reported it
 */
record QualityReport(String mode, String assistant, List<Outcome> outcomes) {

    /** Whys for which a reply that cites no source (a clarifying question, a refusal) counts as handled. */
    static final List<String> UNSOURCED_REPLY_IS_FINE = List.of("ambiguous", "injection");
    static final int RANKED = 10;

    QualityReport {
        outcomes = List.copyOf(outcomes);
    }

    /** One message: the articles retrieval ranked for it, and the assistant's reply. */
    record Outcome(EvaluationSet.Question question, List<String> ranked, ApplicationUnderTest.Reply reply) {

        /** 1-based rank of the right article among the ranked ones; 0 when absent (or not answerable). */
        int rank() {
            return question.answerable() ? ranked.indexOf(question.article()) + 1 : 0;
        }

        boolean escalated() {
            return reply.kind() != ApplicationUnderTest.Reply.Kind.ANSWERED;
        }

        boolean correct() {
            if (question.answerable()) {
                return !escalated() && question.article().equals(reply.citedArticle());
            }
            return escalated() || (reply.citedArticle() == null && UNSOURCED_REPLY_IS_FINE.contains(question.why()));
        }
    }

    List<Outcome> answerable() {
        return outcomes.stream().filter(o -> o.question().answerable()).toList();
    }

    List<Outcome> mustEscalate() {
        return outcomes.stream().filter(o -> !o.question().answerable()).toList();
    }

    double retrievalHitAt(int k) {
        return share(answerable(), o -> o.rank() >= 1 && o.rank() <= k);
    }

    double retrievalMrr() {
        List<Outcome> answerable = answerable();
        return answerable.isEmpty() ? 0 : answerable.stream().mapToDouble(o -> o.rank() == 0 ? 0 : 1.0 / o.rank())
                .sum() / answerable.size();
    }

    /** Answered (not escalated) citing the right article first. */
    double answerHitAt1() {
        return share(answerable(), Outcome::correct);
    }

    /** Answerable but escalated (or no reply within the bound). */
    double falseEscalations() {
        return share(answerable(), Outcome::escalated);
    }

    /** Answerable, answered, citing another article first or none. */
    double wrongAnswers() {
        return share(answerable(), o -> !o.escalated() && !o.correct());
    }

    double escalationRecall() {
        return share(mustEscalate(), Outcome::correct);
    }

    long noReply() {
        return outcomes.stream().filter(o -> o.reply().kind() == ApplicationUnderTest.Reply.Kind.NO_REPLY).count();
    }

    /** Per why: [handled, total]. */
    Map<String, int[]> recallByWhy() {
        Map<String, int[]> byWhy = new TreeMap<>();
        for (Outcome o : mustEscalate()) {
            int[] counts = byWhy.computeIfAbsent(o.question().why(), why -> new int[2]);
            if (o.correct()) counts[0]++;
            counts[1]++;
        }
        return byWhy;
    }

    /** Delivered replies by confidence tenth: [correct, total] (bucket 0.7 holds confidences 0.7 to 0.8). */
    Map<Double, int[]> calibration() {
        Map<Double, int[]> buckets = new TreeMap<>();
        for (Outcome o : outcomes) {
            if (o.escalated() || o.reply().confidence() == null) continue;
            double bucket = Math.min(9, Math.floor(o.reply().confidence() * 10)) / 10;
            int[] counts = buckets.computeIfAbsent(bucket, b -> new int[2]);
            if (o.correct()) counts[0]++;
            counts[1]++;
        }
        return buckets;
    }

    String text() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "== %s (assistant: %s): %d messages, %d answerable, %d must escalate%n",
                mode, assistant, outcomes.size(), answerable().size(), mustEscalate().size()));
        s.append(String.format(Locale.ROOT, "retrieval   hit@1 %.3f   hit@3 %.3f   MRR %.3f%n",
                retrievalHitAt(1), retrievalHitAt(3), retrievalMrr()));
        s.append(String.format(Locale.ROOT, "answer hit@1        %.3f%n", answerHitAt1()));
        s.append(String.format(Locale.ROOT, "false escalations   %.3f%n", falseEscalations()));
        s.append(String.format(Locale.ROOT, "wrong answers       %.3f%n", wrongAnswers()));
        s.append(String.format(Locale.ROOT, "escalation recall   %.3f%n", escalationRecall()));
        recallByWhy().forEach((why, c) -> s.append(String.format(Locale.ROOT, "    %-14s %d/%d%n", why, c[0], c[1])));
        if (noReply() > 0) s.append("no reply in time    ").append(noReply()).append('\n');
        s.append("calibration (delivered replies: confidence -> share correct)\n");
        calibration().forEach((bucket, c) -> s.append(String.format(Locale.ROOT, "    %.1f-%.1f  %3d  %.2f%n",
                bucket, bucket + 0.1, c[1], (double) c[0] / c[1])));
        s.append("misses\n");
        for (Outcome o : outcomes) {
            if (o.correct()) continue;
            s.append(String.format(Locale.ROOT, "    line %-3d %-9s %-14s -> %s%s  \"%s\"%n", o.question().line(),
                    o.question().answerable() ? "answer" : "escalate",
                    o.question().answerable() ? o.question().article() + " (rank " + o.rank() + ")" : o.question().why(),
                    o.reply().kind(), o.reply().citedArticle() == null ? ""
                            : " " + o.reply().citedArticle() + String.format(Locale.ROOT, " %.2f",
                            o.reply().confidence() == null ? 0 : o.reply().confidence()),
                    abbreviate(o.question().text())));
        }
        return s.toString();
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode);
        json.put("assistant", assistant);
        json.put("messages", outcomes.size());
        json.put("answerable", answerable().size());
        json.put("mustEscalate", mustEscalate().size());
        json.put("retrievalHitAt1", retrievalHitAt(1));
        json.put("retrievalHitAt3", retrievalHitAt(3));
        json.put("retrievalMrr", retrievalMrr());
        json.put("answerHitAt1", answerHitAt1());
        json.put("falseEscalations", falseEscalations());
        json.put("wrongAnswers", wrongAnswers());
        json.put("escalationRecall", escalationRecall());
        Map<String, Object> byWhy = new LinkedHashMap<>();
        recallByWhy().forEach((why, c) -> byWhy.put(why, Map.of("escalated", c[0], "total", c[1])));
        json.put("escalationRecallByWhy", byWhy);
        List<Map<String, Object>> calibration = new ArrayList<>();
        calibration().forEach((bucket, c) -> calibration.add(Map.of("from", bucket, "to", bucket + 0.1,
                "replies", c[1], "shareCorrect", (double) c[0] / c[1])));
        json.put("calibration", calibration);
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", o.question().line());
            m.put("q", o.question().text());
            m.put("locale", o.question().locale());
            m.put("expect", o.question().answerable() ? "answer" : "escalate");
            if (o.question().answerable()) {
                m.put("article", o.question().article());
                m.put("rank", o.rank());
            } else {
                m.put("why", o.question().why());
            }
            m.put("ranked", o.ranked());
            m.put("reply", o.reply().kind().name());
            m.put("cited", o.reply().citedArticle());
            m.put("confidence", o.reply().confidence());
            m.put("correct", o.correct());
            m.put("millis", o.reply().took().toMillis());
            messages.add(m);
        }
        json.put("results", messages);
        return json;
    }

    private static double share(List<Outcome> outcomes, java.util.function.Predicate<Outcome> test) {
        return outcomes.isEmpty() ? 0 : (double) outcomes.stream().filter(test).count() / outcomes.size();
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= 70 ? line : line.substring(0, 69) + "…";
    }
}
