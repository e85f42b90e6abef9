package com.soportemax.escalation.internal;

import com.soportemax.accounts.StaffAccessChanged;
import com.soportemax.accounts.StaffDirectory;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationDesk;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.LiveFeed;
import com.soportemax.chat.LiveUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The agents' server-sent event stream on this node, fed by {@link LiveUpdate}s of every node.
 *
 * <p>Events (each with the id of the stored live event, so a reconnect with {@code Last-Event-ID} resumes):
 * {@code queue} — {@code {"change":"new|claimed|released|transferred|resolved|priority","ticketId","conversationId"}};
 * and for the conversations the stream watches: {@code message} — {@code {"conversationId","message":{...}}},
 * {@code state} — {@code {"conversationId","state"}}, {@code desk} — {@code {"conversationId"}} (a note or an
 * agent's action was added). Comments: {@code :replayed}, {@code :keep-alive}.
 */
@Component
public class AgentStreams {

    private static final Logger log = LoggerFactory.getLogger(AgentStreams.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("agent-heartbeat").daemon().factory());
    private final LiveFeed feed;
    private final ConversationDesk desk;
    private final AgentPresence presence;
    private final TranscriptReads reads;
    private final StaffDirectory staff;

    AgentStreams(LiveFeed feed, ConversationDesk desk, AgentPresence presence, TranscriptReads reads,
                 StaffDirectory staff) {
        this.feed = feed;
        this.staff = staff;
        this.reads = reads;
        this.desk = desk;
        this.presence = presence;
        heartbeats.scheduleWithFixedDelay(this::heartbeat, 15, 15, TimeUnit.SECONDS);
    }

    /**
     * Opens a stream for an agent: queue changes, plus the messages of {@code watching}; after {@code lastEventId}
     * (when given) the stored events since are replayed first.
     */
    public SseEmitter subscribe(String agentEmail, Set<ConversationId> watching, Long lastEventId) {
        SseEmitter emitter = new SseEmitter(TIMEOUT.toMillis());
        Subscriber subscriber = new Subscriber(emitter, agentEmail, watching);
        emitter.onCompletion(() -> subscriber.dead = true);
        emitter.onTimeout(() -> subscriber.dead = true);
        emitter.onError(error -> subscriber.dead = true);
        subscribers.add(subscriber);
        presence.seen(agentEmail);
        Thread.ofVirtual().start(() -> replay(subscriber, lastEventId));
        return emitter;
    }

    @EventListener
    void on(LiveUpdate update) {
        if (update.id() == 0) {
            return;
        }
        for (Subscriber subscriber : subscribers) {
            if (subscriber.dead) {
                subscribers.remove(subscriber);
            } else {
                subscriber.offer(update, this);
            }
        }
    }

    /**
     * Raised on every node once an account's change is committed: a disabled or deleted account's streams end now;
     * after a role change they end too, and the console reconnects under the new role.
     */
    @EventListener
    void on(StaffAccessChanged change) {
        close(change.email());
    }

    private void close(String agentEmail) {
        for (Subscriber subscriber : subscribers) {
            if (subscriber.agentEmail.equalsIgnoreCase(agentEmail)) {
                subscriber.dead = true;
                subscribers.remove(subscriber);
                subscriber.emitter.complete();
            }
        }
    }

    private void replay(Subscriber subscriber, Long lastEventId) {
        try {
            List<LiveUpdate> missed = lastEventId == null ? List.of() : feed.after(lastEventId, List.of(), 1000);
            subscriber.finishReplay(missed, this);
        } catch (RuntimeException e) {
            log.warn("Could not replay the agents' stream; the console will reconnect", e);
            subscriber.emitter.completeWithError(e);
        }
    }

    /** What the subscriber gets for an update, if anything. */
    private Optional<SseEmitter.SseEventBuilder> eventFor(Subscriber subscriber, LiveUpdate update) {
        String id = Long.toString(update.id());
        if (update.kind().startsWith("ticket.")) {
            // A conversation another agent took (or one transferred away) is no longer the watcher's to read.
            if (subscriber.watching.contains(update.conversationId())
                    && !reads.mayRead(update.conversationId(), subscriber.agentEmail)) {
                subscriber.watching.remove(update.conversationId());
            }
            return Optional.of(SseEmitter.event().id(id).name("queue").data(new QueueData(
                    update.kind().substring("ticket.".length()), update.ticketId(), update.conversationId().toString()),
                    MediaType.APPLICATION_JSON));
        }
        if (!subscriber.watching.contains(update.conversationId())) {
            return Optional.empty();
        }
        return switch (update.kind()) {
            case "message" -> desk.message(update.conversationId(), update.seq()).filter(ChatMessage::complete)
                    .map(message -> SseEmitter.event().id(id).name("message").data(new MessageData(
                            update.conversationId().toString(), message), MediaType.APPLICATION_JSON));
            case "state" -> Optional.of(SseEmitter.event().id(id).name("state").data(new StateData(
                    update.conversationId().toString(), desk.state(update.conversationId()).name()),
                    MediaType.APPLICATION_JSON));
            case "desk" -> Optional.of(SseEmitter.event().id(id).name("desk").data(new DeskData(
                    update.conversationId().toString()), MediaType.APPLICATION_JSON));
            default -> Optional.empty();
        };
    }

    private void heartbeat() {
        // The backstop for a node that missed an account's change: a stream of an account that may no longer sign
        // in ends at the next heartbeat at the latest.
        try {
            subscribers.stream().map(subscriber -> subscriber.agentEmail.toLowerCase(java.util.Locale.ROOT)).distinct()
                    .filter(email -> staff.findByEmail(email).isEmpty()).toList().forEach(this::close);
            for (Subscriber subscriber : subscribers) {
                if (subscriber.dead || !subscriber.comment("keep-alive")) {
                    subscribers.remove(subscriber);
                } else {
                    presence.seen(subscriber.agentEmail);
                }
            }
        } catch (RuntimeException unreachable) {
            // The database is away: a failure here must not end the heartbeats for good (the executor would drop
            // the task); the streams go on and the next heartbeat checks again.
            log.warn("Agents' stream heartbeat could not reach the database: {}", unreachable.getMessage());
        }
    }

    /** Whether this agent has a console open on this node. */
    boolean connected(String agentEmail) {
        return subscribers.stream().anyMatch(s -> !s.dead && s.agentEmail.equalsIgnoreCase(agentEmail));
    }

    @EventListener(ContextClosedEvent.class)
    void closeAll() {
        heartbeats.shutdownNow();
        for (Subscriber subscriber : subscribers) {
            subscriber.emitter.complete();
        }
        subscribers.clear();
    }

    private static final class Subscriber {
        final SseEmitter emitter;
        final String agentEmail;
        final Set<ConversationId> watching;
        /** Live updates arriving during the replay; null once it is done. */
        List<LiveUpdate> pending = new ArrayList<>();
        long lastSent;
        volatile boolean dead;

        Subscriber(SseEmitter emitter, String agentEmail, Set<ConversationId> watching) {
            this.emitter = emitter;
            this.agentEmail = agentEmail;
            this.watching = java.util.concurrent.ConcurrentHashMap.newKeySet();
            this.watching.addAll(watching);
        }

        synchronized void offer(LiveUpdate update, AgentStreams streams) {
            if (pending != null) {
                pending.add(update);
            } else {
                send(update, streams);
            }
        }

        synchronized void finishReplay(List<LiveUpdate> missed, AgentStreams streams) {
            for (LiveUpdate update : missed) {
                send(update, streams);
            }
            for (LiveUpdate update : pending) {
                if (update.id() > lastSent) {
                    send(update, streams);
                }
            }
            pending = null;
            comment("replayed");
        }

        private void send(LiveUpdate update, AgentStreams streams) {
            if (dead) {
                return;
            }
            try {
                Optional<SseEmitter.SseEventBuilder> event = streams.eventFor(this, update);
                if (event.isPresent()) {
                    emitter.send(event.get());
                }
                lastSent = Math.max(lastSent, update.id());
            } catch (IOException | IllegalStateException e) {
                dead = true;
            }
        }

        synchronized boolean comment(String text) {
            try {
                emitter.send(SseEmitter.event().comment(text));
                return true;
            } catch (IOException | IllegalStateException e) {
                dead = true;
                return false;
            }
        }
    }

    record QueueData(String change, UUID ticketId, String conversationId) {
    }

    record MessageData(String conversationId, ChatMessage message) {
    }

    record StateData(String conversationId, String state) {
    }

    record DeskData(String conversationId) {
    }
}
