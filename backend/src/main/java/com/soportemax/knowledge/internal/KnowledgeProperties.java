package com.soportemax.knowledge.internal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the knowledge base ({@code soportemax.knowledge.*}).
 *
 * @param seedOnEmptyDatabase load the bundled seed articles when the database has no article at all
 * @param passageMinChars     passages aim for at least this many characters (an article up to 1.2 × max stays whole)
 * @param passageMaxChars     passages grow by whole paragraphs up to about this many characters, evenly split
 * @param passageOverlapChars the previous passage's last sentence is repeated when it is at most this long
 * @param passagesPerArticle  at most this many passages of one article in one search result
 * @param thesaurus           a Spanish MyThes thesaurus ({@code .dat}), for questions worded with other words than
 *                            the articles'; the default is where Debian's {@code mythes-es} package puts it
 * @param translator          the Apertium command that translates a question into the language of articles written
 *                            in the other one (Debian's {@code apertium-eng-spa}), or {@code none}
 */
@Validated
@ConfigurationProperties("soportemax.knowledge")
public record KnowledgeProperties(
        @DefaultValue("true") boolean seedOnEmptyDatabase,
        @DefaultValue("600") @Min(100) int passageMinChars,
        @DefaultValue("900") @Min(200) @Max(20_000) int passageMaxChars,
        @DefaultValue("200") @Min(0) int passageOverlapChars,
        @DefaultValue("2") @Min(1) @Max(10) int passagesPerArticle,
        @DefaultValue("/usr/share/mythes/th_es_ES_v2.dat") java.nio.file.Path thesaurus,
        @DefaultValue("apertium") String translator) {

    PassageSplitter splitter() {
        return new PassageSplitter(passageMinChars, passageMaxChars, passageOverlapChars);
    }
}
