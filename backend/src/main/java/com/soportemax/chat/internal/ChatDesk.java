package com.soportemax.chat.internal;

import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationDesk;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.PostedMessage;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;

@Service
class ChatDesk implements ConversationDesk {

    private final Conversations conversations;
    private final ConversationRepository repository;
    private final MessageLog messages;
    private final ConversationStreams streams;

    ChatDesk(Conversations conversations, ConversationRepository repository, MessageLog messages,
             ConversationStreams streams) {
        this.conversations = conversations;
        this.repository = repository;
        this.messages = messages;
        this.streams = streams;
    }

    @Override
    @Transactional
    public void assignAgent(ConversationId id, String agentName) {
        Conversation conversation = conversations.load(id);
        Instant now = conversations.now();
        conversation.assignAgent(agentName, now);
        // Flushed now: of two agents racing for the conversation, the second fails here on @Version.
        repository.saveAndFlush(conversation);
        ChatMessage notice = messages.append(id, Author.SYSTEM, null,
                SystemNotices.agentJoined(conversation.language(), agentName), true, now);
        AfterCommit.run(() -> {
            streams.messageStored(notice, id);
            streams.stateChanged(id, ConversationState.AGENT);
        });
    }

    @Override
    @Transactional
    public PostedMessage postAgentMessage(ConversationId id, String agentName, String text) {
        Conversation conversation = conversations.load(id);
        conversation.requireAgentInCharge();
        ChatMessage message = messages.append(id, Author.AGENT, agentName, text, true, conversations.now());
        AfterCommit.run(() -> streams.messageStored(message, id));
        return new PostedMessage(message.id(), message.seq());
    }

    @Override
    @Transactional
    public void close(ConversationId id) {
        conversations.close(conversations.load(id));
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
}
