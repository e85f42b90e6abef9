package com.soportemax.chat.web;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.internal.Conversation;
import com.soportemax.chat.internal.Conversations;
import com.soportemax.chat.internal.TokenLifetime;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Checks a widget request's bearer token: without a token, or with one no conversation has, 401; with the token
 * of another conversation than the one in the path, 404 (whether that conversation exists is nobody's business).
 */
@Component
class WidgetAccess {

    private static final String BEARER = "Bearer ";

    private final Conversations conversations;
    private final TokenLifetime tokenLifetime;

    WidgetAccess(Conversations conversations, TokenLifetime tokenLifetime) {
        this.conversations = conversations;
        this.tokenLifetime = tokenLifetime;
    }

    ConversationId authorize(String pathId, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            throw unauthorized("Send the conversation's token as 'Authorization: Bearer <token>'.");
        }
        Conversation conversation = conversations.findByToken(authorization.substring(BEARER.length()).strip())
                .orElseThrow(() -> unauthorized("The token is not valid; start a new conversation."));
        if (!conversation.id().toString().equalsIgnoreCase(pathId)) {
            throw new ErrorResponseException(HttpStatus.NOT_FOUND,
                    ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No conversation " + pathId + " for this token."),
                    null);
        }
        if (tokenLifetime.expired(conversation)) {
            throw unauthorized("The token has expired after a long pause; start a new conversation.");
        }
        return conversation.id();
    }

    private static ErrorResponseException unauthorized(String detail) {
        ErrorResponseException exception = new ErrorResponseException(HttpStatus.UNAUTHORIZED,
                ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail), null);
        exception.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return exception;
    }
}
