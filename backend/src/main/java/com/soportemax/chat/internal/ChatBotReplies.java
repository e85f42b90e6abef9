package com.soportemax.chat.internal;

import com.soportemax.chat.Author;
import com.soportemax.chat.BotAnswer;
import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.EscalationReason;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The assistant's pen. A bot message is stored (incomplete) when it begins, its text stored as it grows and
 * streamed live to every node in pieces (each carrying its offset, counted here on the node that writes), and stored
 * complete on delivery.
 * Works in any state but CLOSED and AGENT: an answer being written when the customer asked for a person is still
 * delivered, but once an agent holds the conversation the bot's unfinished answer is withdrawn, never sent.
 */
@Service
class ChatBotReplies implements BotReplies {

    private final Conversations conversations;
    private final MessageLog messages;
    private final LiveNotifications live;
    /** Characters streamed so far of each bot message this node is writing. */
    private final ConcurrentMap<Draft, Integer> written = new ConcurrentHashMap<>();

    ChatBotReplies(Conversations conversations, MessageLog messages, LiveNotifications live) {
        this.conversations = conversations;
        this.messages = messages;
        this.live = live;
    }

    @Override
    @Transactional
    public long begin(ConversationId conversation) {
        conversations.load(conversation).requireOpen();
        long seq = messages.append(conversation, Author.BOT, null, "", false, conversations.now()).seq();
        written.put(new Draft(conversation, seq), 0);
        return seq;
    }

    @Override
    public void stream(ConversationId conversation, long seq, String delta) {
        Objects.requireNonNull(delta, "delta");
        if (delta.isEmpty()) {
            return;
        }
        int[] offset = new int[1];
        written.compute(new Draft(conversation, seq), (draft, length) -> {
            offset[0] = length == null ? 0 : length;
            return offset[0] + delta.length();
        });
        // Stored as it grows, so a widget connecting to any node replays the draft so far; notified for live ones.
        messages.appendToDraft(conversation, seq, delta);
        live.delta(conversation, seq, offset[0], delta);
    }

    @Override
    @Transactional
    public void deliver(ConversationId conversation, long seq, BotAnswer answer) {
        written.remove(new Draft(conversation, seq));
        if (conversations.load(conversation).state() == ConversationState.AGENT) {
            messages.withdrawBotMessage(conversation, seq);
            return;
        }
        Instant now = conversations.now();
        messages.completeBotMessage(conversation, seq, answer.text(), answer.confidence(), answer.sources(), now)
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation
                        + " has no open bot message " + seq + " (never begun, delivered or withdrawn already)"));
    }

    /** One insert of the complete message (and one live event), where begin and deliver take two writes and two events. */
    @Override
    @Transactional
    public long reply(ConversationId conversation, BotAnswer answer) {
        Conversation loaded = conversations.load(conversation);
        loaded.requireOpen();
        if (loaded.state() == ConversationState.AGENT) {
            return 0;
        }
        return messages.appendBotAnswer(conversation, answer.text(), answer.confidence(), answer.sources(),
                conversations.now()).seq();
    }

    @Override
    @Transactional
    public void escalate(ConversationId conversation, long seq, EscalationReason reason, String detail,
                         String botDraft) {
        Conversation loaded = conversations.load(conversation);
        if (seq > 0) {
            written.remove(new Draft(conversation, seq));
            messages.withdrawBotMessage(conversation, seq);
        }
        conversations.handOver(loaded, reason, detail == null ? "" : detail, botDraft == null ? "" : botDraft);
    }

    @Override
    @Transactional(readOnly = true)
    public List<ChatTurn> history(ConversationId conversation, long beforeSeq, int maxMessages) {
        return messages.history(conversation, beforeSeq, maxMessages);
    }

    private record Draft(ConversationId conversation, long seq) {
    }
}
