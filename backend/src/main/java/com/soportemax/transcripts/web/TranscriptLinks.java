package com.soportemax.transcripts.web;

import com.soportemax.transcripts.internal.TranscriptFilter;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/** Query strings for the transcript list's pagination links. */
@Component
class TranscriptLinks {

    /** The filter as a query string, without the leading '?'; empty fields left out. */
    String query(TranscriptFilter f) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("q", f.q());
        fields.put("from", f.from());
        fields.put("to", f.to());
        fields.put("outcome", f.outcome());
        fields.put("escalated", f.escalated());
        fields.put("reason", f.reason());
        fields.put("minConfidence", f.minConfidence());
        fields.put("maxConfidence", f.maxConfidence());
        fields.put("rating", f.rating());
        fields.put("label", f.label());
        fields.put("agent", f.agent());
        fields.put("language", f.language());
        fields.put("review", f.review());
        fields.put("sort", f.sort());
        fields.put("direction", f.direction());
        fields.put("page", f.page());
        fields.put("size", f.size());
        UriComponentsBuilder builder = UriComponentsBuilder.newInstance();
        fields.forEach((name, value) -> {
            if (value != null && !value.toString().isBlank()) builder.queryParam(name, value);
        });
        String query = builder.encode().build().getQuery();
        return query == null ? "" : query;
    }
}
