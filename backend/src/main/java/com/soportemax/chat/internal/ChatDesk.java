package com.soportemax.chat.internal;

import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationDesk;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.CustomerContext;
import com.soportemax.chat.PostedMessage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Service
class ChatDesk implements ConversationDesk {

    private final Conversations conversations;
    private final ConversationRepository repository;
    private final MessageLog messages;
    private final JdbcTemplate jdbc;

    ChatDesk(Conversations conversations, ConversationRepository repository, MessageLog messages, JdbcTemplate jdbc) {
        this.conversations = conversations;
        this.repository = repository;
        this.messages = messages;
        this.jdbc = jdbc;
    }

    @Override
    @Transactional
    public void assignAgent(ConversationId id, String agentName) {
        Conversation conversation = conversations.load(id);
        Instant now = conversations.now();
        conversation.assignAgent(agentName, now);
        messages.append(id, Author.SYSTEM, null, SystemNotices.agentJoined(conversation.language(), agentName), true,
                now);
        // Flushed after the notice (the customer reads it, then the new state): of two agents racing for the
        // conversation, the second fails here on @Version and its notice is rolled back with it.
        repository.saveAndFlush(conversation);
    }

    @Override
    @Transactional
    public PostedMessage postAgentMessage(ConversationId id, String agentName, String text) {
        Conversation conversation = conversations.load(id);
        conversation.requireAgentInCharge();
        ChatMessage message = messages.append(id, Author.AGENT, agentName, text, true, conversations.now());
        return new PostedMessage(message.id(), message.seq());
    }

    @Override
    @Transactional
    public void handBack(ConversationId id) {
        Conversation conversation = conversations.load(id);
        Instant now = conversations.now();
        conversation.handBack(now);
        messages.append(id, Author.SYSTEM, null, SystemNotices.handedBack(conversation.language()), true, now);
        // Saved after the notice: the customer reads the notice, then the new state.
        repository.saveAndFlush(conversation);
    }

    @Override
    @Transactional
    public void release(ConversationId id) {
        Conversation conversation = conversations.load(id);
        Instant now = conversations.now();
        conversation.release(now);
        messages.append(id, Author.SYSTEM, null, SystemNotices.released(conversation.language()), true, now);
        // Saved after the notice: the customer reads the notice, then the new state.
        repository.saveAndFlush(conversation);
    }

    @Override
    @Transactional
    public void transfer(ConversationId id, String agentName) {
        Conversation conversation = conversations.load(id);
        Instant now = conversations.now();
        conversation.transferTo(agentName, now);
        messages.append(id, Author.SYSTEM, null, SystemNotices.agentJoined(conversation.language(), agentName), true,
                now);
        // Saved after the notice: the customer reads the notice, then the new state.
        repository.saveAndFlush(conversation);
    }

    @Override
    @Transactional
    public void close(ConversationId id) {
        conversations.close(conversations.load(id));
    }

    @Override
    @Transactional
    public void resolve(ConversationId id) {
        conversations.resolve(conversations.load(id));
    }

    @Override
    @Transactional(readOnly = true)
    public ConversationState state(ConversationId id) {
        return conversations.load(id).state();
    }

    @Override
    @Transactional(readOnly = true)
    public List<ChatMessage> transcript(ConversationId id) {
        conversations.load(id);
        return messages.after(id, 0);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<ChatMessage> message(ConversationId id, long seq) {
        return messages.find(id, seq);
    }

    @Override
    @Transactional(readOnly = true)
    public CustomerContext context(ConversationId id) {
        Conversation conversation = conversations.load(id);
        List<CustomerContext.EarlierConversation> earlier = conversation.browserId() == null ? List.of() : jdbc.query("""
                        select c.id, c.created_at, c.state,
                               (select m.text from messages m where m.conversation_id = c.id and m.author = 'CUSTOMER'
                                order by m.seq limit 1) as first_message
                        from conversations c
                        where c.browser_id = ? and c.id <> ? and c.created_at < ?
                        order by c.created_at desc limit 10""",
                (rs, row) -> new CustomerContext.EarlierConversation(new ConversationId(rs.getObject("id", UUID.class)),
                        rs.getTimestamp("created_at").toInstant(), ConversationState.valueOf(rs.getString("state")),
                        rs.getString("first_message") == null ? "" : rs.getString("first_message")),
                conversation.browserId(), id.value(), java.sql.Timestamp.from(conversation.createdAt()));
        return new CustomerContext(conversation.language().code(), conversation.openedOnPage(),
                conversation.contactEmail(), conversation.createdAt(), earlier);
    }
}
