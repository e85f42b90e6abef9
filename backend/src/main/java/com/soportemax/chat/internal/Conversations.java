package com.soportemax.chat.internal;

import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationClosed;
import com.soportemax.chat.ConversationEscalated;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.PostedMessage;
import com.soportemax.chat.HandOverNotice;
import org.springframework.beans.factory.ObjectProvider;
import com.soportemax.privacy.CardMask;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * What the customer's widget does with a conversation. Every change raises its {@link ConversationChange}, announced
 * live to every node once committed.
 */
@Service
public class Conversations {

    private final ConversationRepository repository;
    private final MessageLog messages;
    private final RequestLimits limits;
    private final ApplicationEventPublisher events;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    private final ConversationStreams streams;
    private final ObjectProvider<HandOverNotice> handOverNotices;

    Conversations(ConversationRepository repository, MessageLog messages, RequestLimits limits,
                  ApplicationEventPublisher events, JdbcTemplate jdbc, ObjectProvider<Clock> clock, ConversationStreams streams,
                  ObjectProvider<HandOverNotice> handOverNotices) {
        this.repository = repository;
        this.messages = messages;
        this.limits = limits;
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.streams = streams;
        this.handOverNotices = handOverNotices;
    }

    /** A new conversation and the token that alone gives access to it (shown once, stored only hashed). */
    @Transactional
    public StartedConversation start(Language language) {
        return start(language, null, null);
    }

    /**
     * A new conversation and its token, remembering the page the widget was opened on and the widget's id for the
     * browser (both optional), which agents see.
     */
    @Transactional
    public StartedConversation start(Language language, String page, UUID browserId) {
        String token = WidgetToken.generate();
        Conversation started = Conversation.start(language, WidgetToken.hash(token), now());
        started.describeVisitor(page, browserId);
        Conversation conversation = repository.save(started);
        return new StartedConversation(conversation.id(), token);
    }

    /**
     * The customer asked the widget to forget the conversation: its token stops working at once (every later call
     * with it is 401). The conversation itself stays, for the agents and the transcripts, until retention removes it.
     */
    @Transactional
    public void revokeToken(ConversationId id) {
        // Not a hash of any token: no token can match it again.
        jdbc.update("update conversations set token_hash = ? where id = ?",
                "revoked-" + UUID.randomUUID().toString().replace("-", ""), id.value());
    }

    /** The conversation a widget token belongs to. */
    @Transactional(readOnly = true)
    public Optional<Conversation> findByToken(String token) {
        return repository.findByTokenHash(WidgetToken.hash(token).hex());
    }

    /**
     * Stores the customer's message (once per {@code clientMessageId}), then lets the bot answer it while the bot
     * is in charge; with an agent in charge the message waits for the agent.
     */
    @Transactional
    public PostedMessage postCustomerMessage(ConversationId id, UUID clientMessageId, String customerText) {
        return postCustomerMessage(id, clientMessageId, customerText, "");
    }

    /** As above, from {@code clientAddress} (the assistant's answer queue gives each address a fair share). */
    @Transactional
    public PostedMessage postCustomerMessage(ConversationId id, UUID clientMessageId, String customerText,
                                             String clientAddress) {
        // Card numbers never reach storage, the assistant or the agents; the customer sees theirs masked too.
        String text = CardMask.mask(customerText);
        Optional<ChatMessage> retry = messages.findByClientMessageId(id, clientMessageId);
        if (retry.isPresent()) {
            return new PostedMessage(retry.get().id(), retry.get().seq());
        }
        Conversation conversation = load(id);
        Instant now = now();
        if (conversation.reopen(now)) {
            repository.saveAndFlush(conversation);
        }
        conversation.requireOpen();
        limits.postMessage(id);
        MessageLog.Appended appended = messages.appendCustomerMessage(id, clientMessageId, text, now);
        ChatMessage message = appended.message();
        // The state under the row lock, not the one loaded above: an escalation may have committed in between.
        // With a person in charge (or waiting for one) the bot stays silent.
        if (appended.stored() && appended.state() == ConversationState.BOT) {
            events.publishEvent(new CustomerMessagePosted(id, message.seq(), text, conversation.language().code(), now,
                    clientAddress));
        }
        return new PostedMessage(message.id(), message.seq());
    }

    /** The state and the visible messages after {@code afterSeq}; a message the bot is writing shows its draft. */
    @Transactional(readOnly = true)
    public Snapshot messagesAfter(ConversationId id, long afterSeq) {
        Conversation conversation = load(id);
        List<MessageView> views = messages.after(id, afterSeq).stream()
                .map(message -> message.complete() ? MessageView.of(message)
                        : MessageView.of(message).withText(streams.draft(id, message.seq()).orElse(message.text())))
                .toList();
        return new Snapshot(conversation.state(), conversation.language(), views, conversation.emailOffered(),
                conversation.contactEmail());
    }

    /** The customer asks for a person. Asking again, or with a person already there, changes nothing. */
    @Transactional
    public ConversationState escalateByCustomer(ConversationId id) {
        Conversation conversation = load(id);
        conversation.requireOpen();
        handOver(conversation, EscalationReason.CUSTOMER_REQUEST, "The customer asked to talk to a person.", "");
        return conversation.state();
    }

    /** The customer ends the conversation. */
    @Transactional
    public ConversationState closeByCustomer(ConversationId id) {
        Conversation conversation = load(id);
        close(conversation);
        return conversation.state();
    }

    /** Rates the conversation; rating again replaces the earlier rating. @return true when it was the first */
    @Transactional
    public boolean rate(ConversationId id, int score, String comment) {
        load(id);
        Instant now = now();
        Boolean created = jdbc.queryForObject("""
                insert into conversation_ratings (conversation_id, score, comment, created_at, updated_at)
                values (?, ?, ?, ?, ?)
                on conflict (conversation_id) do update set score = excluded.score, comment = excluded.comment,
                    updated_at = excluded.updated_at
                returning (xmax = 0)""", Boolean.class, id.value(), score, comment, Timestamp.from(now), Timestamp.from(now));
        return Boolean.TRUE.equals(created);
    }

    /**
     * The customer's thumbs up or down on one bot answer, with an optional reason; rating it again replaces it.
     *
     * @return true when it was the first feedback on that answer
     * @throws NoSuchElementException when {@code seq} is not a delivered bot answer of the conversation
     */
    @Transactional
    public boolean rateAnswer(ConversationId id, long seq, boolean helpful, String reason) {
        load(id);
        if (messages.find(id, seq).filter(m -> m.author() == Author.BOT && m.complete()).isEmpty()) {
            throw new NoSuchElementException("Message " + seq + " of conversation " + id + " is not a bot answer.");
        }
        Instant now = now();
        Boolean created = jdbc.queryForObject("""
                insert into answer_feedback (conversation_id, seq, helpful, reason, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?)
                on conflict (conversation_id, seq) do update set helpful = excluded.helpful, reason = excluded.reason,
                    updated_at = excluded.updated_at
                returning (xmax = 0)""", Boolean.class, id.value(), seq, helpful,
                reason == null || reason.isBlank() ? null : CardMask.mask(reason.strip()),
                Timestamp.from(now), Timestamp.from(now));
        return Boolean.TRUE.equals(created);
    }

    /**
     * Moves a bot conversation to the agents' queue: the customer is told, {@link ConversationEscalated} is
     * published. A conversation a person already handles is left as it is.
     */
    void handOver(Conversation conversation, EscalationReason reason, String detail, String botDraft) {
        Instant now = now();
        if (!conversation.escalate(now)) {
            return;
        }
        HandOverNotice.Notice notice = handOverNotice(conversation);
        if (notice.offerEmail()) {
            conversation.offerEmail();
        }
        ConversationId id = conversation.id();
        messages.append(id, Author.SYSTEM, null, notice.text(), true, now);
        // Saved after the notice: the customer reads the notice, then the new state.
        repository.saveAndFlush(conversation);
        events.publishEvent(new ConversationEscalated(id, reason, detail, botDraft, now));
    }

    private HandOverNotice.Notice handOverNotice(Conversation conversation) {
        HandOverNotice notices = handOverNotices.getIfAvailable();
        return notices == null ? new HandOverNotice.Notice(SystemNotices.escalated(conversation.language()), false)
                : notices.atHandOver(conversation.id(), conversation.language().code());
    }

    /**
     * The customer leaves an e-mail address for the answer (offered when nobody could answer live); they are told
     * where it will go. The address is validated by the caller.
     */
    @Transactional
    public void leaveContactEmail(ConversationId id, String email) {
        Conversation conversation = load(id);
        Instant now = now();
        conversation.leaveContactEmail(email, now);
        messages.append(id, Author.SYSTEM, null, SystemNotices.emailLeft(conversation.language(), email), true, now);
        // Saved after the notice: the customer reads the notice, then the new state.
        repository.saveAndFlush(conversation);
    }

    void close(Conversation conversation) {
        Instant now = now();
        if (!conversation.close(now)) {
            return;
        }
        ConversationId id = conversation.id();
        messages.append(id, Author.SYSTEM, null, SystemNotices.closed(conversation.language()), true, now);
        // Saved after the notice: the customer reads the notice, then the new state.
        repository.saveAndFlush(conversation);
        events.publishEvent(new ConversationClosed(id, now));
    }

    void resolve(Conversation conversation) {
        Instant now = now();
        if (!conversation.resolve(now)) {
            return;
        }
        ConversationId id = conversation.id();
        messages.append(id, Author.SYSTEM, null, SystemNotices.closed(conversation.language()), true, now);
        // Saved after the notice: the customer reads the notice, then the new state.
        repository.saveAndFlush(conversation);
        events.publishEvent(new ConversationClosed(id, now));
    }

    Conversation load(ConversationId id) {
        return repository.findById(id.value())
                .orElseThrow(() -> new NoSuchElementException("No conversation " + id));
    }

    /** Timestamps at PostgreSQL's precision, so what is returned equals what is read back. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** A conversation just started; {@code token} is the widget's bearer token. */
    public record StartedConversation(ConversationId conversationId, String token) {
    }

    /** What the widget shows: who is in charge and the messages. */
    public record Snapshot(ConversationState state, Language language, List<MessageView> messages,
                           boolean emailOffered, String contactEmail) {
    }
}
