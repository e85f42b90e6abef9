package com.soportemax.escalation.internal;

import com.soportemax.accounts.StaffDirectory;
import com.soportemax.accounts.StaffMember;
import com.soportemax.accounts.StaffRole;
import com.soportemax.chat.ConversationId;
import com.soportemax.escalation.TranscriptAccess;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Which transcripts a staff member may read, and the record of every read.
 *
 * <p>An admin reads every conversation. An agent reads a conversation only when it waits in the queue (an open
 * ticket), when it is theirs (a ticket claimed by or transferred to them, now or before), or when they took part
 * in it (a note or an action of theirs on its desk log). Any other id is answered as if it did not exist, so that
 * an agent cannot even learn that a conversation is there.
 */
@Repository
public class TranscriptReads implements TranscriptAccess {

    /** How a transcript was read. */
    public enum Via { PAGE, FRAGMENT, API }

    /**
     * One read of a transcript by a staff member.
     *
     * @param staffName the staff member's display name, null when the account is gone or disabled
     * @param source    the page or API route that showed it ("GET /api/agent/transcripts/{id}"), null when unknown
     */
    public record Read(long id, String staffEmail, String staffName, ConversationId conversation, Via via,
                       String source, Instant at) {
    }

    /**
     * Which reads to list, newest first.
     *
     * @param staffEmail only this staff member's (case-insensitive), or all when blank
     * @param from       only reads on or after this day (UTC), or none
     * @param to         only reads on or before this day (UTC), or none
     * @param beforeId   only reads older than this one (the last of the previous page), or none
     */
    public record ReadFilter(ConversationId conversation, String staffEmail, java.time.LocalDate from,
                             java.time.LocalDate to, Long beforeId, int limit) {
        public ReadFilter {
            if (limit < 1 || limit > 500) {
                throw new IllegalArgumentException("'limit' must be between 1 and 500, not " + limit + ".");
            }
            if (from != null && to != null && from.isAfter(to)) {
                throw new IllegalArgumentException("'from' (" + from + ") must not be after 'to' (" + to + ").");
            }
            staffEmail = staffEmail == null || staffEmail.isBlank() ? null : staffEmail.strip();
        }
    }

    private final JdbcTemplate jdbc;
    private final StaffDirectory staff;
    private final Clock clock;

    TranscriptReads(JdbcTemplate jdbc, StaffDirectory staff, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.staff = staff;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Whether this (enabled) staff member may read the conversation. */
    @Transactional(readOnly = true)
    public boolean mayRead(ConversationId conversation, String staffEmail) {
        StaffMember member = staff.findByEmail(staffEmail).orElse(null);
        if (member == null) {
            return false;
        }
        if (member.role() == StaffRole.ADMIN) {
            // Asked of the table, not of the chat module: its NoSuchElementException would mark the transaction
            // rollback-only even when caught here.
            return Boolean.TRUE.equals(jdbc.queryForObject(
                    "select exists (select 1 from conversations where id = ?)", Boolean.class, conversation.value()));
        }
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                select exists (select 1 from escalation_tickets t where t.conversation_id = ?
                                 and (t.status = 'OPEN' or lower(t.claimed_by) = lower(?)))
                    or exists (select 1 from desk_entries d where d.conversation_id = ?
                                 and lower(d.author_email) = lower(?))""", Boolean.class,
                conversation.value(), member.email(), conversation.value(), member.email()));
    }

    /** @throws NoSuchElementException when the staff member may not read it (or it does not exist) */
    @Transactional(readOnly = true)
    public void requireReadable(ConversationId conversation, String staffEmail) {
        if (!mayRead(conversation, staffEmail)) {
            throw new NoSuchElementException("No conversation " + conversation + ".");
        }
    }

    @Override
    @Transactional
    public void read(ConversationId conversation, String staffEmail) {
        read(conversation, staffEmail, Via.API);
    }

    @Override
    @Transactional
    public void recordAdminRead(ConversationId conversation, String adminEmail, boolean page) {
        record(conversation, adminEmail, page ? Via.PAGE : Via.API);
    }

    /** Checks that the staff member may read the transcript, then records that they did. */
    @Transactional
    public void read(ConversationId conversation, String staffEmail, Via via) {
        requireReadable(conversation, staffEmail);
        record(conversation, staffEmail, via);
    }

    private void record(ConversationId conversation, String staffEmail, Via via) {
        jdbc.update("insert into transcript_reads (staff_email, conversation_id, via, source, read_at) values (?, ?, ?, ?, ?)",
                staffEmail.strip().toLowerCase(java.util.Locale.ROOT), conversation.value(), via.name(), source(),
                Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS)));
    }

    /** The route of the request being served ("GET /agent/conversations/{id}"), with no id or query in it. */
    private static String source() {
        if (!(org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes attributes)) {
            return null;
        }
        Object pattern = attributes.getRequest().getAttribute(
                org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null) return null;
        String source = attributes.getRequest().getMethod() + " " + pattern;
        return source.length() > 160 ? source.substring(0, 160) : source;
    }

    /** The reads that match {@code filter}, newest first. */
    @Transactional(readOnly = true)
    public List<Read> recent(ReadFilter filter) {
        StringBuilder sql = new StringBuilder(
                "select id, staff_email, conversation_id, via, source, read_at from transcript_reads where true");
        List<Object> arguments = new ArrayList<>();
        if (filter.conversation() != null) {
            sql.append(" and conversation_id = ?");
            arguments.add(filter.conversation().value());
        }
        if (filter.staffEmail() != null) {
            sql.append(" and lower(staff_email) = lower(?)");
            arguments.add(filter.staffEmail());
        }
        if (filter.from() != null) {
            sql.append(" and read_at >= ?");
            arguments.add(Timestamp.from(filter.from().atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
        }
        if (filter.to() != null) {
            sql.append(" and read_at < ?");
            arguments.add(Timestamp.from(filter.to().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
        }
        if (filter.beforeId() != null) {
            sql.append(" and id < ?");
            arguments.add(filter.beforeId());
        }
        sql.append(" order by id desc limit ?");
        arguments.add(filter.limit());
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (StaffMember member : staff.enabled()) names.put(member.email().toLowerCase(java.util.Locale.ROOT), member.displayName());
        return jdbc.query(sql.toString(), (rs, row) -> new Read(rs.getLong("id"), rs.getString("staff_email"),
                names.get(rs.getString("staff_email").toLowerCase(java.util.Locale.ROOT)),
                new ConversationId(rs.getObject("conversation_id", UUID.class)), Via.valueOf(rs.getString("via")),
                rs.getString("source"), rs.getTimestamp("read_at").toInstant()), arguments.toArray());
    }

    /** The enabled staff members, to choose whose reads to list. */
    public List<StaffMember> staff() {
        return staff.enabled();
    }
}
