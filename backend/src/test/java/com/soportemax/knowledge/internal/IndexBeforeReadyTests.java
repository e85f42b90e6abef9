package com.soportemax.knowledge.internal;

import com.soportemax.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * By the time the application reports itself ready, the knowledge index is built and the thesaurus read: the
 * first customers' questions after a start do not pay for them (the thesaurus alone kept a carrier thread busy
 * for seconds and, on a loaded machine, made waiting requests run out of database time: BusyPoolTests). The
 * thesaurus is a copy removed once the application is ready, so a thesaurus read on first use finds nothing.
 */
@SpringBootTest
@Import(TestDatabase.class)
class IndexBeforeReadyTests {

    private static final Path INSTALLED = Path.of("/usr/share/mythes/th_es_ES_v2.dat");
    private static Path copy;

    @DynamicPropertySource
    static void thesaurusCopy(DynamicPropertyRegistry registry) throws IOException {
        assumeTrue(Files.isReadable(INSTALLED), "Debian's mythes-es is not installed (" + INSTALLED + ")");
        copy = Files.createTempFile("soportemax-thesaurus-", ".dat");
        Files.copy(INSTALLED, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        registry.add("soportemax.knowledge.thesaurus", copy::toString);
    }

    @AfterAll
    static void removeCopy() throws IOException {
        if (copy != null) Files.deleteIfExists(copy);
    }

    @Autowired
    PassageIndex passages;

    @Autowired
    ApplicationAvailability availability;

    @Test
    void theThesaurusAndTheIndexAreReadyWhenTheApplicationIs() throws IOException {
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        Files.delete(copy);

        assertThat(passages.thesaurus().size()).as("read before readiness, from the file since removed")
                .isGreaterThan(1000);
        assertThat(passages.current().size()).as("the seed articles' passages").isGreaterThan(0);
    }
}
