package com.soportemax.assistant.internal;

import com.soportemax.chat.CustomerMessagePosted;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;

/**
 * Answers every customer message the chat module stored while the bot is in charge. Runs after the message's
 * transaction committed, on its own (virtual) thread; the event publication registry re-delivers it after a crash.
 */
@Component
class CustomerMessages {

    private final AnswerQueue queue;
    private final AnswerPipeline pipeline;

    CustomerMessages(AnswerQueue queue, AnswerPipeline pipeline) {
        this.queue = queue;
        this.pipeline = pipeline;
    }

    // No surrounding transaction: a generation takes seconds and must not hold a database connection meanwhile;
    // the pipeline writes its decision in a short transaction of its own.
    @ApplicationModuleListener(propagation = Propagation.NOT_SUPPORTED)
    void on(CustomerMessagePosted message) throws InterruptedException {
        try {
            AnswerQueue.Turn turn = queue.run(message.conversationId(), message.clientAddress(),
                    () -> pipeline.answer(message));
            if (turn == AnswerQueue.Turn.SUPERSEDED) pipeline.supersede(message);
        } catch (AnswerQueue.QueueFullException e) {
            pipeline.escalateUnanswered(message, e.getMessage());
        }
    }
}
