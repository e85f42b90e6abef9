package com.soportemax.escalation.internal;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import org.springframework.beans.factory.ObjectProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The canned replies admins manage. */
@Service
public class CannedReplies {

    private static final RowMapper<CannedReply> ROWS = (rs, row) -> new CannedReply(rs.getObject("id", UUID.class),
            rs.getString("title"), rs.getString("text"), rs.getString("language"), rs.getString("shortcut"));

    private final JdbcTemplate jdbc;
    private final Clock clock;

    CannedReplies(JdbcTemplate jdbc, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    public List<CannedReply> all() {
        return jdbc.query("select * from canned_replies order by language, shortcut", ROWS);
    }

    public List<CannedReply> inLanguage(String language) {
        return jdbc.query("select * from canned_replies where language = ? order by shortcut", ROWS, language);
    }

    /** @throws IllegalArgumentException naming the field when invalid or the shortcut is taken in that language */
    public CannedReply create(String title, String text, String language, String shortcut) {
        CannedReply reply = new CannedReply(UUID.randomUUID(), title == null ? null : title.strip(),
                text == null ? null : text.strip(), language, shortcut == null ? null : shortcut.strip());
        Instant now = clock.instant();
        try {
            jdbc.update("""
                    insert into canned_replies (id, title, text, language, shortcut, created_at, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?)""", reply.id(), reply.title(), reply.text(), reply.language(),
                    reply.shortcut(), Timestamp.from(now), Timestamp.from(now));
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("shortcut: /" + reply.shortcut() + " already exists in "
                    + reply.language() + "; choose another.");
        }
        return reply;
    }

    public void delete(UUID id) {
        jdbc.update("delete from canned_replies where id = ?", id);
    }
}
