package com.soportemax.assistant.internal;

import com.soportemax.chat.BotAnswer;
import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** The chat module's side of the contract, as a test sees it: what the assistant wrote into each conversation. */
public class RecordingBotReplies implements BotReplies {

    record Delivered(long seq, BotAnswer answer) {
    }

    record Escalated(long seq, EscalationReason reason, String detail, String draft) {
    }

    private final AtomicLong nextSeq = new AtomicLong(100);
    private final Map<ConversationId, List<ChatTurn>> histories = new ConcurrentHashMap<>();
    private final Map<ConversationId, StringBuilder> streamed = new ConcurrentHashMap<>();
    private final Map<ConversationId, Delivered> delivered = new ConcurrentHashMap<>();
    private final Map<ConversationId, Escalated> escalated = new ConcurrentHashMap<>();
    private final List<ConversationId> begun = new CopyOnWriteArrayList<>();
    private final List<Long> historyRequests = new CopyOnWriteArrayList<>();

    /** The "before" sequence numbers the assistant asked the history for, oldest first. */
    List<Long> historyRequests() {
        return List.copyOf(historyRequests);
    }

    void history(ConversationId conversation, List<ChatTurn> turns) {
        histories.put(conversation, List.copyOf(turns));
    }

    @Override
    public long begin(ConversationId conversation) {
        begun.add(conversation);
        return nextSeq.incrementAndGet();
    }

    @Override
    public void stream(ConversationId conversation, long seq, String delta) {
        streamed.computeIfAbsent(conversation, c -> new StringBuilder()).append(delta);
    }

    @Override
    public void deliver(ConversationId conversation, long seq, BotAnswer answer) {
        delivered.put(conversation, new Delivered(seq, answer));
    }

    @Override
    public void escalate(ConversationId conversation, long seq, EscalationReason reason, String detail,
                         String botDraft) {
        escalated.put(conversation, new Escalated(seq, reason, detail, botDraft));
    }

    @Override
    public List<ChatTurn> history(ConversationId conversation, long beforeSeq, int maxMessages) {
        historyRequests.add(beforeSeq);
        List<ChatTurn> all = histories.getOrDefault(conversation, List.of());
        return all.subList(Math.max(0, all.size() - maxMessages), all.size());
    }

    Optional<Delivered> delivered(ConversationId conversation) {
        return Optional.ofNullable(delivered.get(conversation));
    }

    Optional<Escalated> escalated(ConversationId conversation) {
        return Optional.ofNullable(escalated.get(conversation));
    }

    String streamed(ConversationId conversation) {
        StringBuilder s = streamed.get(conversation);
        return s == null ? "" : s.toString();
    }

    boolean begun(ConversationId conversation) {
        return begun.contains(conversation);
    }
}
