package com.soportemax.dataset;

import com.soportemax.AdminTest;
import com.soportemax.ConversationFixture;
import com.soportemax.dataset.internal.DatasetExports;
import com.soportemax.dataset.internal.DatasetFormat;
import com.soportemax.dataset.internal.ExportRecord;
import com.soportemax.dataset.internal.ExportRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export throughput and memory: generates conversations (4 messages, 2 bot answers each, approved) on a day of their
 * own, then exports them at a tenth and at the full size and reports conversations/s and the peak used heap.
 * Not part of the normal build (the name does not end in Tests); run it with
 * {@code ./mvnw -B -q -pl backend -am test -Dtest=DatasetExportBenchmark -Dsoportemax.bench.conversations=100000
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@AdminTest
@EnabledIfSystemProperty(named = "soportemax.bench.conversations", matches = "\\d+")
class DatasetExportBenchmark {

    private static final LocalDate DAY = LocalDate.parse("2019-01-01");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DatasetExports exports;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactions;

    @Test
    void exportsWithFlatMemory() throws Exception {
        int total = Integer.getInteger("soportemax.bench.conversations");
        int version = ConversationFixture.currentSettings(jdbc);
        jdbc.update("delete from conversations where created_at >= '2019-01-01' and created_at < '2019-01-03'");
        long generating = System.nanoTime();
        generate(total / 10, "2019-01-01", version);
        generate(total - total / 10, "2019-01-02", version);
        System.out.printf("Generated %d conversations in %.1f s%n", total, (System.nanoTime() - generating) / 1e9);
        // As autovacuum leaves conversations of past days: statistics, hint bits and visibility map set (otherwise the
        // first export after the bulk insert also writes every page it reads).
        for (String table : new String[]{"conversations", "messages", "bot_answers", "conversation_reviews", "answer_feedback"}) {
            jdbc.execute("vacuum (analyze) " + table);
        }

        if (Boolean.getBoolean("soportemax.bench.explain")) explain();
        String[] formats = System.getProperty("soportemax.bench.formats", "openai-sft,kto").split(",");
        // Warm-up, not reported: every format's code compiled by the JIT before anything is timed.
        for (String id : formats) run(DatasetFormat.of(id.strip()), DAY, DAY);
        for (String id : formats) {
            DatasetFormat format = DatasetFormat.of(id.strip());
            Result small = run(format, DAY, DAY);
            Result large = run(format, DAY, DAY.plusDays(1));
            System.out.printf("BENCH %s %,d conversations: %,.0f conversations/s, %,d lines, peak heap %d MB | "
                            + "%,d conversations: %,.0f conversations/s, peak heap %d MB (max heap %d MB), "
                            + "export thread on a CPU %.0f%% of the time, load average %.1f%n",
                    format.id(), total / 10, small.perSecond(total / 10), small.lines, small.peakMb,
                    total, large.perSecond(total), large.peakMb,
                    Runtime.getRuntime().maxMemory() >> 20, 100.0 * large.cpuNanos / large.nanos,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            assertThat(large.lines).isGreaterThanOrEqualTo(total);
        }
    }

    /** Where the export's query spends its time (-Dsoportemax.bench.explain=true): the plan with actual times. */
    private void explain() throws ReflectiveOperationException {
        java.lang.reflect.Field rows = DatasetExports.class.getDeclaredField("ROWS");
        rows.setAccessible(true);
        String sql = ((String) rows.get(null)).replaceFirst("\\?", "'2019-01-01'::timestamptz")
                .replaceFirst("\\?", "'2019-01-03'::timestamptz").replaceFirst("\\?", "true");
        new org.springframework.transaction.support.TransactionTemplate(transactions).executeWithoutResult(status -> {
            jdbc.execute("set local work_mem = '256MB'");
            jdbc.queryForList("explain (analyze, buffers) " + sql, String.class).forEach(System.out::println);
        });
    }

    /** @param cpuNanos CPU time of the exporting thread: the rest it waited for PostgreSQL or for a free core */
    private record Result(long nanos, long cpuNanos, long lines, long peakMb) {
        double perSecond(int conversations) {
            return conversations / (nanos / 1e9);
        }
    }

    private Result run(DatasetFormat format, LocalDate from, LocalDate to) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        ExportRecord record = exports.export(new ExportRequest(format, from, to, true, ExportRequest.Part.ALL, 0.1, false),
                OutputStream.nullOutputStream(), "benchmark");
        long nanos = System.nanoTime() - start;
        cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
        sampler.interrupt();
        sampler.join();
        return new Result(nanos, cpu, record.lines(), peak.get() >> 20);
    }

    private void generate(int count, String day, int version) {
        new org.springframework.transaction.support.TransactionTemplate(transactions)
                .executeWithoutResult(status -> generateInOneTransaction(count, day, version));
    }

    private void generateInOneTransaction(int count, String day, int version) {
        jdbc.update("""
                create temporary table bench_ids on commit drop as
                select gen_random_uuid() as id, ?::timestamptz + (n * interval '1 millisecond') as at, n
                from generate_series(1, ?) n""", day, count);
        jdbc.execute("""
                insert into conversations (id, token_hash, state, locale, created_at, updated_at, last_seq)
                select id, md5(id::text) || md5(n::text || id::text), 'CLOSED', 'es', at, at, 4 from bench_ids;
                insert into messages (id, conversation_id, seq, author, text, complete, confidence, created_at, completed_at)
                select gen_random_uuid(), id, s, case when s % 2 = 1 then 'CUSTOMER' else 'BOT' end,
                    case s when 1 then 'Hola, me llamo Marta y quiero saber cuánto tarda el envío del pedido ' || n
                           when 2 then 'El envío peninsular tarda de 24 a 48 horas laborables desde que sale del almacén.'
                           when 3 then '¿Y si no estoy en casa? Mi móvil es el 612 34 56 78'
                           else 'El transportista te llamará y podrás elegir otra franja o un punto de recogida.' end,
                    true, case when s % 2 = 0 then 0.8 end, at, at
                from bench_ids cross join generate_series(1, 4) s;
                """);
        jdbc.update("""
                insert into bot_answers (conversation_id, customer_seq, bot_seq, mode, outcome, detail, answer_text,
                    confidence, retrieval_score, passages, settings_version, created_at)
                select id, s - 1, s, 'LLM', 'DELIVERED', 'benchmark', 'x', 0.8, 0.6,
                    '[{"articleId":null,"externalId":"kb-envios-plazos","title":"Plazos de envío","score":0.61}]'::jsonb, ?, at
                from bench_ids cross join (values (2), (4)) s(s)""", version);
        jdbc.execute("""
                insert into conversation_reviews (conversation_id, decision, reviewed_by, reviewed_at)
                select id, 'APPROVED', 'benchmark', at from bench_ids""");
        jdbc.execute("insert into answer_feedback select id, 2, true, null, at, at from bench_ids");
    }
}
