package com.soportemax.escalation.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * One page of the agents' queue, in queue order, and the cursor of the next page (null on the last). A cursor names
 * the last ticket of its page by its place in the order (priority, waiting since, id), so a ticket that arrives or
 * leaves meanwhile neither repeats nor hides another one on the following page.
 */
public record QueuePage(List<EscalationTicket> tickets, String next) {

    /** The most tickets one page holds. */
    public static final int MAX_SIZE = 200;

    public QueuePage {
        tickets = List.copyOf(tickets);
    }

    /** A place in the queue order; the start is before every ticket. */
    record Position(int priority, Instant createdAt, UUID ticketId) {

        static final Position START = new Position(0, Instant.EPOCH, new UUID(0, 0));

        static Position of(EscalationTicket ticket) {
            return new Position(ticket.priority(), ticket.createdAt(), ticket.id());
        }

        static Position parse(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return START;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8)
                        .split("/", -1);
                long micros = Long.parseLong(parts[1]);
                return new Position(Integer.parseInt(parts[0]),
                        Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException unreadable) {
                throw new IllegalArgumentException("after must be the 'next' cursor of a queue page, not '" + cursor + "'.");
            }
        }

        String cursor() {
            long micros = Math.addExact(Math.multiplyExact(createdAt.getEpochSecond(), 1_000_000L), createdAt.getNano() / 1000);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((priority + "/" + micros + "/" + ticketId).getBytes(StandardCharsets.UTF_8));
        }
    }
}
