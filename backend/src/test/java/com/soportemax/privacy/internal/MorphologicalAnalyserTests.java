package com.soportemax.privacy.internal;

import com.soportemax.privacy.internal.MorphologicalAnalyser.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Apertium's {@code lt-proc} kept running as the name lexicon drives it (skipped where Apertium is not installed). */
class MorphologicalAnalyserTests {

    private static final Path SPANISH = Path.of("/usr/share/apertium/apertium-eng-spa/spa-eng.automorf.bin");

    private static MorphologicalAnalyser spanish() {
        assumeTrue(Files.isReadable(SPANISH) && Files.isExecutable(Path.of("/usr/bin/lt-proc")),
                "Apertium's lt-proc and the apertium-eng-spa lexicons are not installed (apt-get install apertium-eng-spa)");
        return new MorphologicalAnalyser("lt-proc", SPANISH, Duration.ofSeconds(5));
    }

    @Test
    void eachTextOfACallGetsItsOwnReadingsInOrder() {
        try (MorphologicalAnalyser analyser = spanish()) {
            for (int round = 0; round < 3; round++) {
                List<List<Token>> texts = analyser.analyse(List.of("Pedro García", "Madrid", "", "Rosa")).orElseThrow();
                assertThat(texts).hasSize(4);
                assertThat(texts.get(0)).extracting(Token::surface).containsExactly("Pedro", "García");
                assertThat(texts.get(0).get(0).readings()).anyMatch(r -> r.contains("<np><ant>"));
                assertThat(texts.get(0).get(1).readings()).anyMatch(r -> r.contains("<np><cog>"));
                assertThat(texts.get(1).getFirst().readings()).allMatch(r -> r.contains("<np><loc>"));
                assertThat(texts.get(2)).isEmpty();
                assertThat(texts.get(3).getFirst().readings()).anyMatch(r -> r.startsWith("Rosa<n>"))
                        .anyMatch(r -> r.contains("<np><ant>"));
            }
        }
    }

    @Test
    void apertiumsReservedCharactersAreReadAsPlainText() {
        try (MorphologicalAnalyser analyser = spanish()) {
            String text = "Ana ^/$ <b> [x] {y} @z *w #v +u ~t |s \\r Pedro";
            List<List<Token>> texts = analyser.analyse(List.of(text, "Luz")).orElseThrow();
            assertThat(texts).hasSize(2);
            // Every unit is a piece of the text (none made of the stream's own syntax), the words around analysed.
            assertThat(texts.get(0)).allSatisfy(token -> assertThat(text).contains(token.surface()));
            assertThat(texts.get(0).getFirst().surface()).isEqualTo("Ana");
            assertThat(texts.get(0).getLast().surface()).isEqualTo("Pedro");
            assertThat(texts.get(0).getLast().readings()).anyMatch(r -> r.contains("<np><ant>"));
            assertThat(texts.get(1)).extracting(Token::surface).containsExactly("Luz");
        }
    }

    @Test
    void aProcessThatDiedIsStartedAgainByTheNextCall() {
        try (MorphologicalAnalyser analyser = spanish()) {
            assertThat(analyser.analyse(List.of("Pedro"))).isPresent();
            assertThat(analyser.running()).isTrue();
            analyser.kill();
            assertThat(analyser.running()).isFalse();
            Optional<List<List<Token>>> again = analyser.analyse(List.of("Lucía"));
            assertThat(again).hasValueSatisfying(texts -> assertThat(texts.getFirst().getFirst().readings())
                    .anyMatch(r -> r.contains("<np><ant>")));
            assertThat(analyser.running()).isTrue();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aProcessThatNeverAnswersIsGivenUpWithinTheTimeout(@TempDir Path folder) throws IOException {
        // A program that reads and never writes, standing in for an analyser that hangs.
        Path silent = folder.resolve("silent-lt-proc");
        Files.writeString(silent, "#!/bin/sh\nexec cat > /dev/null\n");
        Files.setPosixFilePermissions(silent, PosixFilePermissions.fromString("rwx------"));
        Path lexicon = folder.resolve("lexicon.bin");
        Files.writeString(lexicon, "");
        try (MorphologicalAnalyser analyser = new MorphologicalAnalyser(silent.toString(), lexicon, Duration.ofMillis(300))) {
            assertThat(analyser.analyse(List.of("Pedro"))).isEmpty();
            assertThat(analyser.running()).isFalse();
            // After three failures in a row it is not started again: calls answer at once, empty.
            assertThat(analyser.analyse(List.of("Pedro"))).isEmpty();
            assertThat(analyser.analyse(List.of("Pedro"))).isEmpty();
            assertThat(analyser.analyse(List.of("Pedro"))).isEmpty();
            assertThat(analyser.running()).isFalse();
        }
    }
}
