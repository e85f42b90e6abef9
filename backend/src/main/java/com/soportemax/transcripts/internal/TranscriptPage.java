package com.soportemax.transcripts.internal;

import java.util.List;

/** A page of the transcript list. */
public record TranscriptPage(List<TranscriptSummary> items, long total, int page, int size) {

    public int pages() {
        return (int) Math.max(1, (total + size - 1) / size);
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }

    public boolean hasPrevious() {
        return page > 0;
    }
}
