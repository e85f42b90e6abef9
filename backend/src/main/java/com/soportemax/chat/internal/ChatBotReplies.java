package com.soportemax.chat.internal;

import com.soportemax.chat.Author;
import com.soportemax.chat.BotAnswer;
import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The assistant's pen. A bot message is stored (incomplete) when it begins, streamed to live subscribers only,
 * and stored complete on delivery. Works in any state but CLOSED: an answer that was being written when the
 * customer asked for a person is still delivered.
 */
@Service
class ChatBotReplies implements BotReplies {

    private final Conversations conversations;
    private final MessageLog messages;
    private final ConversationStreams streams;

    ChatBotReplies(Conversations conversations, MessageLog messages, ConversationStreams streams) {
        this.conversations = conversations;
        this.messages = messages;
        this.streams = streams;
    }

    @Override
    @Transactional
    public long begin(ConversationId conversation) {
        conversations.load(conversation).requireOpen();
        long seq = messages.append(conversation, Author.BOT, null, "", false, conversations.now()).seq();
        AfterCommit.run(() -> streams.botWriting(conversation, seq));
        return seq;
    }

    @Override
    public void stream(ConversationId conversation, long seq, String delta) {
        Objects.requireNonNull(delta, "delta");
        streams.delta(conversation, seq, delta);
    }

    @Override
    @Transactional
    public void deliver(ConversationId conversation, long seq, BotAnswer answer) {
        Instant now = conversations.now();
        ChatMessage message = messages.completeBotMessage(conversation, seq, answer.text(), answer.confidence(),
                        answer.sources(), now)
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation
                        + " has no open bot message " + seq + " (never begun, delivered or withdrawn already)"));
        AfterCommit.run(() -> streams.botMessageDelivered(message, conversation));
    }

    @Override
    @Transactional
    public void escalate(ConversationId conversation, long seq, EscalationReason reason, String detail,
                         String botDraft) {
        Conversation loaded = conversations.load(conversation);
        if (seq > 0 && messages.withdrawBotMessage(conversation, seq)) {
            AfterCommit.run(() -> streams.retract(conversation, seq));
        }
        conversations.handOver(loaded, reason, detail == null ? "" : detail, botDraft == null ? "" : botDraft);
    }

    @Override
    @Transactional(readOnly = true)
    public List<ChatTurn> history(ConversationId conversation, long beforeSeq, int maxMessages) {
        return messages.history(conversation, beforeSeq, maxMessages);
    }
}
