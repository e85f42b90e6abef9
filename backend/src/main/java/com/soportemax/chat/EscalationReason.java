package com.soportemax.chat;

/** Why a conversation was handed to a human agent. */
public enum EscalationReason {
    /** The customer asked for a person. */
    CUSTOMER_REQUEST,
    /** The answer's confidence was under the threshold. */
    LOW_CONFIDENCE,
    /** Retrieval found nothing relevant in the knowledge base. */
    NO_KNOWLEDGE,
    /** Anger, complaints, legal threats. */
    SENSITIVE_TOPIC,
    /** The customer wants something done on their account (refund, cancellation, data change). */
    ACCOUNT_ACTION,
    /** The engine failed or timed out; the conversation is never lost. */
    ENGINE_FAILURE
}
