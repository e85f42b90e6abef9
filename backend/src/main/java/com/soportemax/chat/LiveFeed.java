package com.soportemax.chat;

import java.util.List;

/** The stored live events, for a stream that resumes after a reconnect. */
public interface LiveFeed {

    /** Stored events after {@code id} (kinds given, all when empty), oldest first, at most {@code max}. */
    List<LiveUpdate> after(long id, List<String> kinds, int max);

    /** The id of the latest stored event (0 when none): where a new stream starts. */
    long latestId();
}
