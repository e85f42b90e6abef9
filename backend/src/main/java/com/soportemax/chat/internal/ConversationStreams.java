package com.soportemax.chat.internal;

import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.LiveUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Live server-sent events of each conversation on this node, fed by {@link LiveUpdate}s (committed changes of any
 * node, heard through PostgreSQL), with the bot's drafts kept from their deltas so that any node replays them. Stored messages are the source of truth: a
 * (re)connecting widget first gets the stored messages after its Last-Event-ID, then live events, never out of
 * order; a bot message still being written is replayed as one {@code delta} from offset 0.
 *
 * <p>Events: {@code message} (a complete message, see {@link MessageView}; its id is the highest seq up to which
 * the customer has every message, so resuming with it never skips a message a bot finished later),
 * {@code delta} ({@code {"seq","offset","text"}}: text of an open bot message starting at character
 * {@code offset}; offset 0 with empty text announces the bot is writing), {@code retract} ({@code {"seq"}}: an
 * open bot message withdrawn) and {@code state} ({@code {"state"}}). Only {@code message} events carry an id.
 * The replay ends with the current {@code state}. Comments: {@code :replayed} once the replay is done,
 * {@code :keep-alive} on idle streams.
 */
@Component
public class ConversationStreams {

    private static final Logger log = LoggerFactory.getLogger(ConversationStreams.class);

    private final ConcurrentMap<ConversationId, Channel> channels = new ConcurrentHashMap<>();
    private final ExecutorService replays = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("chat-heartbeat").daemon().factory());
    private final MessageLog messages;
    private final ChatSettings settings;

    ConversationStreams(MessageLog messages, ChatSettings settings) {
        this.messages = messages;
        this.settings = settings;
        long period = settings.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(this::sendHeartbeats, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens an event stream for a conversation, replaying its stored messages after {@code afterSeq} off the
     * request thread before live events follow.
     */
    public SseEmitter subscribe(ConversationId conversation, long afterSeq) {
        SseEmitter emitter = new SseEmitter(settings.streamTimeout().toMillis());
        Subscriber subscriber = new Subscriber(emitter);
        channels.compute(conversation, (id, channel) -> {
            Channel target = channel == null ? new Channel() : channel;
            target.add(subscriber, settings.streamsPerConversation());
            return target;
        });
        // Spring MVC may call these while holding the emitter's own lock, and sends hold the channel's lock first:
        // so the callbacks only mark the subscriber and leave the removal to another thread.
        Runnable unsubscribe = () -> {
            subscriber.dead = true;
            try {
                replays.execute(() -> remove(conversation, subscriber));
            } catch (RejectedExecutionException shuttingDown) {
                // closeAll() has dropped every channel already
            }
        };
        emitter.onCompletion(unsubscribe);
        emitter.onTimeout(unsubscribe);
        emitter.onError(error -> unsubscribe.run());
        replays.execute(() -> replay(conversation, afterSeq, subscriber));
        return emitter;
    }

    /** The text a bot message has so far, while it is being written. */
    Optional<String> draft(ConversationId conversation, long seq) {
        Channel channel = channels.get(conversation);
        return channel == null ? Optional.empty() : channel.draft(seq);
    }

    /**
     * A committed change, heard from PostgreSQL (it may have happened on another node): the streams of its
     * conversation on this node get it, read from the database.
     */
    @EventListener
    void on(LiveUpdate update) {
        ConversationId conversation = update.conversationId();
        switch (update.kind()) {
            case "message" -> messageStored(conversation, update.seq());
            case "writing" -> delta(conversation, update.seq(), 0, "");
            case "delta" -> delta(conversation, update.seq(), update.offset(), update.text() == null ? "" : update.text());
            case "retract" -> retract(conversation, update.seq());
            case "state" -> stateChanged(conversation);
            default -> {
                // other modules' events (the agents' queue, internal notes) never reach the customer
            }
        }
    }

    private void messageStored(ConversationId conversation, long seq) {
        Channel channel = channels.get(conversation);
        if (channel == null) {
            return;
        }
        Optional<ChatMessage> stored = messages.find(conversation, seq).filter(ChatMessage::complete);
        if (stored.isPresent()) {
            channel.closeDraft(seq);
            channel.publishMessage(MessageView.of(stored.get()));
        }
        dropIfIdle(conversation);
    }

    /** Deltas are replayed from their offset, so one sent twice (live and in a replay's draft) changes nothing. */
    private void delta(ConversationId conversation, long seq, int offset, String text) {
        // The draft is registered inside compute so the channel cannot be dropped as idle meanwhile;
        // sending happens outside, never holding the map's lock during I/O.
        Channel channel = channels.compute(conversation, (id, existing) -> {
            Channel target = existing == null ? new Channel() : existing;
            target.writeDraft(seq, offset, text);
            return target;
        });
        channel.publish(new Event.Delta(seq, offset, text));
    }

    private void retract(ConversationId conversation, long seq) {
        Channel channel = channels.get(conversation);
        if (channel != null) {
            channel.closeDraft(seq);
            channel.publish(new Event.Retract(seq));
        }
        dropIfIdle(conversation);
    }

    private void stateChanged(ConversationId conversation) {
        Channel channel = channels.get(conversation);
        if (channel != null) {
            channel.publish(new Event.State(new StateData(messages.state(conversation),
                    messages.emailOffered(conversation))));
        }
    }

    private void replay(ConversationId conversation, long afterSeq, Subscriber subscriber) {
        try {
            List<ChatMessage> stored = messages.after(conversation, afterSeq);
            // The state too: a widget that connects after a hand-over (a first message asking for a person) must
            // not wait in bot mode for a state event that went out before it was listening.
            StateData current = new StateData(messages.state(conversation), messages.emailOffered(conversation));
            Channel channel = channels.get(conversation);
            if (channel != null) {
                channel.finishReplay(subscriber, stored, current);
            }
        } catch (RuntimeException e) {
            log.warn("Could not replay conversation {} to a widget; it will reconnect", conversation, e);
            subscriber.emitter.completeWithError(e);
        }
    }

    private void remove(ConversationId conversation, Subscriber subscriber) {
        Channel channel = channels.get(conversation);
        if (channel != null) {
            channel.remove(subscriber);
        }
        dropIfIdle(conversation);
    }

    private void dropIfIdle(ConversationId conversation) {
        channels.computeIfPresent(conversation, (id, channel) -> channel.isIdle() ? null : channel);
    }

    private void sendHeartbeats() {
        for (Channel channel : channels.values()) {
            channel.heartbeat();
        }
    }

    @EventListener(ContextClosedEvent.class)
    void closeAll() {
        // Open streams would otherwise hold up the graceful shutdown until they time out.
        heartbeats.shutdownNow();
        replays.shutdownNow();
        for (Channel channel : channels.values()) {
            channel.completeAll();
        }
        channels.clear();
    }

    private sealed interface Event {
        record Message(MessageView view, long eventId) implements Event {
        }

        record Delta(long seq, int offset, String text) implements Event {
        }

        record Retract(long seq) implements Event {
        }

        record State(StateData data) implements Event {
        }
    }

    private static final class Subscriber {
        final SseEmitter emitter;
        /** Live events arriving while stored messages are replayed; deltas are not kept (the draft is resent). */
        List<Event> pending = new ArrayList<>();
        /**
         * The messages this subscriber has been sent: a message's notification can arrive after the replay that
         * already read it from the database (committed before the stream opened, heard a moment later).
         */
        final Set<Long> sentMessages = new HashSet<>();
        volatile boolean dead;

        Subscriber(SseEmitter emitter) {
            this.emitter = emitter;
        }

        boolean replaying() {
            return pending != null;
        }
    }

    /** One conversation's subscribers and open bot drafts; every send happens under its lock, in order. */
    private static final class Channel {
        private final List<Subscriber> subscribers = new ArrayList<>();
        private final Map<Long, StringBuilder> drafts = new TreeMap<>();

        synchronized void add(Subscriber subscriber, int max) {
            subscribers.add(subscriber);
            while (subscribers.size() > max) {
                subscribers.removeFirst().emitter.complete();
            }
        }

        synchronized void remove(Subscriber subscriber) {
            subscriber.dead = true;
            subscribers.remove(subscriber);
        }

        synchronized boolean isIdle() {
            return subscribers.isEmpty() && drafts.isEmpty();
        }

        synchronized Optional<String> draft(long seq) {
            return Optional.ofNullable(drafts.get(seq)).map(StringBuilder::toString);
        }

        /** The draft's text from {@code offset} on becomes {@code text}; a piece after a gap (missed) is left out. */
        synchronized void writeDraft(long seq, int offset, String text) {
            StringBuilder draft = drafts.computeIfAbsent(seq, s -> new StringBuilder());
            if (offset <= draft.length()) {
                draft.setLength(offset);
                draft.append(text);
            }
        }

        synchronized void closeDraft(long seq) {
            drafts.remove(seq);
        }

        synchronized void publishMessage(MessageView view) {
            publish(new Event.Message(view, eventId(view.seq(), lowestDraft())));
        }

        synchronized void publish(Event event) {
            for (Iterator<Subscriber> it = subscribers.iterator(); it.hasNext(); ) {
                Subscriber subscriber = it.next();
                if (subscriber.dead) {
                    it.remove();
                } else if (subscriber.replaying()) {
                    if (!(event instanceof Event.Delta)) {
                        subscriber.pending.add(event);
                    }
                } else if (!send(subscriber, event)) {
                    it.remove();
                }
            }
        }

        synchronized void finishReplay(Subscriber subscriber, List<ChatMessage> stored, StateData current) {
            if (subscriber.dead || !subscribers.contains(subscriber)) {
                return;
            }
            OptionalLong lowestOpen = stored.stream().filter(m -> !m.complete()).mapToLong(ChatMessage::seq).min();
            boolean alive = true;
            for (ChatMessage message : stored) {
                if (message.complete() && alive) {
                    alive = send(subscriber, new Event.Message(MessageView.of(message),
                            eventId(message.seq(), lowestOpen)));
                }
            }
            // send() skips a message already sent, so one both replayed and heard live goes out once
            for (Event event : subscriber.pending) {
                if (alive) {
                    alive = send(subscriber, event);
                }
            }
            alive = alive && send(subscriber, new Event.State(current));
            // A draft as far as it goes: stored (written by any node) or heard live here, whichever is longer.
            Map<Long, String> texts = new TreeMap<>();
            stored.stream().filter(m -> !m.complete()).forEach(m -> texts.put(m.seq(), m.text()));
            drafts.forEach((seq, text) -> texts.merge(seq, text.toString(),
                    (fromDatabase, live) -> live.length() > fromDatabase.length() ? live : fromDatabase));
            for (Map.Entry<Long, String> draft : texts.entrySet()) {
                if (alive) {
                    alive = send(subscriber, new Event.Delta(draft.getKey(), 0, draft.getValue()));
                }
            }
            subscriber.pending = null;
            alive = alive && sendComment(subscriber, "replayed");
            if (!alive) {
                subscribers.remove(subscriber);
            }
        }

        synchronized void heartbeat() {
            subscribers.removeIf(subscriber -> subscriber.dead
                    || !subscriber.replaying() && !sendComment(subscriber, "keep-alive"));
        }

        synchronized void completeAll() {
            for (Subscriber subscriber : subscribers) {
                subscriber.emitter.complete();
            }
            subscribers.clear();
        }

        private OptionalLong lowestDraft() {
            return drafts.isEmpty() ? OptionalLong.empty() : OptionalLong.of(drafts.keySet().iterator().next());
        }

        /** Resuming after this id must still replay any bot message below {@code seq} that is not finished yet. */
        private static long eventId(long seq, OptionalLong lowestOpen) {
            return lowestOpen.isPresent() && lowestOpen.getAsLong() < seq ? lowestOpen.getAsLong() - 1 : seq;
        }

        private static boolean send(Subscriber subscriber, Event event) {
            if (event instanceof Event.Message m && !subscriber.sentMessages.add(m.view().seq())) {
                return true;
            }
            SseEmitter.SseEventBuilder builder = switch (event) {
                case Event.Message m -> SseEmitter.event().name("message").id(Long.toString(m.eventId()))
                        .data(m.view(), MediaType.APPLICATION_JSON);
                case Event.Delta d -> SseEmitter.event().name("delta")
                        .data(new DeltaData(d.seq(), d.offset(), d.text()), MediaType.APPLICATION_JSON);
                case Event.Retract r -> SseEmitter.event().name("retract")
                        .data(new RetractData(r.seq()), MediaType.APPLICATION_JSON);
                case Event.State s -> SseEmitter.event().name("state")
                        .data(s.data(), MediaType.APPLICATION_JSON);
            };
            try {
                subscriber.emitter.send(builder);
                return true;
            } catch (IOException | IllegalStateException e) {
                // The widget went away; Spring MVC completes the emitter, the widget reconnects if it still exists.
                subscriber.dead = true;
                return false;
            }
        }

        private static boolean sendComment(Subscriber subscriber, String comment) {
            try {
                subscriber.emitter.send(SseEmitter.event().comment(comment));
                return true;
            } catch (IOException | IllegalStateException e) {
                subscriber.dead = true;
                return false;
            }
        }
    }

    /** Data of a {@code delta} event. */
    public record DeltaData(long seq, int offset, String text) {
    }

    /** Data of a {@code retract} event. */
    public record RetractData(long seq) {
    }

    /**
     * Data of a {@code state} event.
     *
     * @param emailOffered nobody could answer live at hand-over: the widget offers to leave an e-mail address
     */
    public record StateData(ConversationState state, boolean emailOffered) {
    }
}
