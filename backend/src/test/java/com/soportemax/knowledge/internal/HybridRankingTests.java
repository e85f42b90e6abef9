package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.Passage;
import com.soportemax.knowledge.Retrieval;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HybridRankingTests {

    private static final HybridRanking FUSION = new HybridRanking(0.3, 0.4);

    /** Ten one-passage articles: "a", "b", "c" and seven others that match neither way. */
    private static final LexicalIndex INDEX = LexicalIndex.of(articles("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));

    @Test
    void aPassageFarAheadInMeaningOutranksOneThatIsOnlySecondInBothRankings() {
        double[] lexical = scores(0.5, 0.45, 0);
        double[] cosines = cosines(0.35, 0.5, 0.8);

        Retrieval found = FUSION.rank(INDEX, lexical, new double[10], cosines, 3, 5, 2);

        // By ranks alone "b" (second by words and by meaning) would come first.
        assertThat(found.passages()).extracting(Passage::externalId).startsWith("c", "b");
        assertThat(found.scores().getFirst().lexical()).isZero();
        assertThat(found.scores().getFirst().semantic()).isEqualTo(0.8);
        assertThat(found.topScore()).isCloseTo((0.8 - 0.3) / 0.7, within(1e-9));
    }

    @Test
    void theMarginGrowsWithTheFirstArticlesLeadAndIsWholeWhenNoOtherArticleMatches() {
        Retrieval close = FUSION.rank(INDEX, scores(0.5, 0.48, 0), new double[10], cosines(0.5, 0.49, 0.3), 2, 5, 2);
        Retrieval clear = FUSION.rank(INDEX, scores(0.9, 0.1, 0), new double[10], cosines(0.7, 0.32, 0.3), 2, 5, 2);
        Retrieval alone = FUSION.rank(INDEX, scores(0.6, 0, 0), new double[10], cosines(0.6, 0.3, 0.3), 2, 5, 2);

        assertThat(close.passages().getFirst().externalId()).isEqualTo("a");
        assertThat(clear.passages().getFirst().externalId()).isEqualTo("a");
        assertThat(close.margin()).isBetween(0.0, 0.2);
        assertThat(clear.margin()).isGreaterThan(0.7).isLessThan(1);
        assertThat(alone.passages()).extracting(Passage::externalId).containsExactly("a");
        assertThat(alone.margin()).isEqualTo(1);
    }

    @Test
    void passagesWithoutAVectorStandAtTheBottomOfTheSemanticRanking() {
        double[] z = HybridRanking.standardised(new double[]{0.2, Double.NaN, 0.4, 0.6});

        assertThat(z[0]).isCloseTo(-Math.sqrt(1.5), within(1e-9));
        assertThat(z[2]).isCloseTo(0, within(1e-9));
        assertThat(z[3]).isCloseTo(Math.sqrt(1.5), within(1e-9));
        assertThat(z[1]).isEqualTo(z[0]);
        assertThat(HybridRanking.standardised(new double[]{0.3, 0.3, 0.3})).containsOnly(0);
    }

    /** Lexical scores of "a", "b", "c"; the other articles have none. */
    private static double[] scores(double a, double b, double c) {
        double[] scores = new double[10];
        scores[0] = a;
        scores[1] = b;
        scores[2] = c;
        return scores;
    }

    /** Cosines of "a", "b", "c"; the other articles' are at the floor (unrelated). */
    private static double[] cosines(double a, double b, double c) {
        double[] cosines = new double[10];
        Arrays.fill(cosines, 0.3);
        cosines[0] = a;
        cosines[1] = b;
        cosines[2] = c;
        return cosines;
    }

    private static List<LexicalIndex.Source> articles(String... ids) {
        List<LexicalIndex.Source> sources = new ArrayList<>();
        for (String id : ids) {
            String text = "Artículo " + id + " sobre el tema " + id + ".";
            sources.add(new LexicalIndex.Source(UUID.nameUUIDFromBytes(id.getBytes()), id, 0, "Tema " + id, "es",
                    List.of(), "", text, text, text));
        }
        return sources;
    }
}
