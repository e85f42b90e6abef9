package com.soportemax.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KernelPoolsTests {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void parallelForVisitsEveryIndexExactlyOnce(int threads) {
        try (KernelPool pool = KernelPools.create(threads)) {
            assertThat(pool.threads()).isEqualTo(threads);
            for (int n : new int[] {0, 1, 2, 3, 4, 7, 100, 1001}) {
                for (int repeat = 0; repeat < 200; repeat++) {
                    AtomicIntegerArray visits = new AtomicIntegerArray(n);
                    pool.parallelFor(n, (start, end) -> {
                        for (int i = start; i < end; i++) {
                            visits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertThat(visits.get(i)).as("n=%d index %d", n, i).isEqualTo(1);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void parallelForInAGivenNumberOfChunksVisitsEveryIndexOnceInThatManyRanges(int threads) {
        try (KernelPool pool = KernelPools.create(threads)) {
            for (int n : new int[] {1, 2, 7, 100, 1001}) {
                for (int chunks : new int[] {-1, 0, 1, 3, 64, 5000}) {
                    AtomicIntegerArray visits = new AtomicIntegerArray(n);
                    java.util.concurrent.atomic.AtomicInteger ranges = new java.util.concurrent.atomic.AtomicInteger();
                    pool.parallelFor(n, chunks, (start, end) -> {
                        ranges.incrementAndGet();
                        for (int i = start; i < end; i++) {
                            visits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertThat(visits.get(i)).as("n=%d chunks=%d index %d", n, chunks, i).isEqualTo(1);
                    }
                    if (threads > 1 && n > 1) {
                        assertThat(ranges.get()).as("n=%d chunks=%d", n, chunks)
                                .isEqualTo(Math.max(1, Math.min(n, chunks)));
                    }
                }
            }
        }
    }

    @Test
    void slowWorkIsSharedByTheWorkers() {
        try (KernelPool pool = KernelPools.create(2)) {
            java.util.Set<String> names = java.util.concurrent.ConcurrentHashMap.newKeySet();
            pool.parallelFor(8, (start, end) -> {
                names.add(Thread.currentThread().getName());
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(names).hasSize(2);
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndLeavesThePoolUsable() {
        try (KernelPool pool = KernelPools.create(3)) {
            assertThatThrownBy(() -> pool.parallelFor(30, (start, end) -> {
                if (start > 0) {
                    throw new IllegalStateException("boom at " + start);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("boom at");
            AtomicIntegerArray visits = new AtomicIntegerArray(30);
            pool.parallelFor(30, (start, end) -> {
                for (int i = start; i < end; i++) {
                    visits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 30; i++) {
                assertThat(visits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void concurrentCallersEachGetTheirWholeRangeDone() throws Exception {
        try (KernelPool pool = KernelPools.create(2); ExecutorService callers = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                results.add(callers.submit(() -> {
                    for (int repeat = 0; repeat < 300; repeat++) {
                        AtomicIntegerArray visits = new AtomicIntegerArray(97);
                        pool.parallelFor(97, (start, end) -> {
                            for (int i = start; i < end; i++) {
                                visits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < 97; i++) {
                            if (visits.get(i) != 1) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
    }

    @Test
    void aTaskMayCallParallelForAgain() {
        try (KernelPool pool = KernelPools.create(2)) {
            AtomicIntegerArray visits = new AtomicIntegerArray(40);
            pool.parallelFor(4, (start, end) -> {
                for (int outer = start; outer < end; outer++) {
                    int base = outer * 10;
                    pool.parallelFor(10, (s, e) -> {
                        for (int i = s; i < e; i++) {
                            visits.incrementAndGet(base + i);
                        }
                    });
                }
            });
            for (int i = 0; i < 40; i++) {
                assertThat(visits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        KernelPool pool = KernelPools.create(2);
        pool.close();
        assertThatThrownBy(() -> pool.parallelFor(10, (s, e) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void rejectsAPoolWithoutThreads() {
        assertThatThrownBy(() -> KernelPools.create(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 thread");
    }
}
