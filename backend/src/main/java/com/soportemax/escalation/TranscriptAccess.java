package com.soportemax.escalation;

import com.soportemax.chat.ConversationId;

/**
 * Who may read which transcript, and the record of every staff read (issue 10). An admin reads every conversation;
 * an agent only those waiting in the queue, their own, or ones they took part in. Modules that show transcripts to
 * staff call this before they do.
 */
public interface TranscriptAccess {

    /**
     * Checks that the staff member may read the conversation, then records the read.
     *
     * @throws java.util.NoSuchElementException when they may not (answered as for an id of nothing: 404)
     */
    void read(ConversationId conversation, String staffEmail);

    /** Records a read on a page or API only admins reach (they may read everything). */
    void recordAdminRead(ConversationId conversation, String adminEmail, boolean page);
}
