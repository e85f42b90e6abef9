package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.shared.limits.RateBuckets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import java.time.Duration;

/**
 * Token buckets that keep one widget (or one script) from flooding the bot: messages per conversation,
 * new conversations per IP address. In memory; an entry untouched for a whole period is dropped, since its
 * bucket would be full again anyway.
 */
@Component
public class RequestLimits {

    private final ChatSettings settings;
    private final WidgetLimitSettings widgetLimits;
    private final RateBuckets buckets = new RateBuckets();

    RequestLimits(ChatSettings settings) {
        this(settings, new WidgetLimitSettings(30, 10, 4000, Duration.ofSeconds(10), null));
    }

    @org.springframework.beans.factory.annotation.Autowired
    RequestLimits(ChatSettings settings, WidgetLimitSettings widgetLimits) {
        this.settings = settings;
        this.widgetLimits = widgetLimits;
    }

    /** @throws TooManyRequestsException when this IP started too many conversations lately */
    public void startConversation(String ipAddress) {
        consume("ip:" + ipAddress, settings.conversations(), "new conversations from your address");
    }

    /** @throws TooManyRequestsException when this IP posted too many messages lately, in any conversation */
    public void postMessageFrom(String ipAddress) {
        consume("ip-messages:" + ipAddress, settings.messagesPerAddress(), "messages from your address");
    }

    /** @throws TooManyRequestsException when this IP asked for a person too often lately, in any conversation */
    public void escalateFrom(String ipAddress) {
        consume("ip-escalations:" + ipAddress, widgetLimits.escalations(), "requests for an agent from your address");
    }

    void postMessage(ConversationId conversation) {
        consume("conversation:" + conversation, settings.messages(), "messages in this conversation");
    }

    private void consume(String key, ChatSettings.RateLimit limit, String what) {
        buckets.take(key, limit.capacity(), limit.capacity(), limit.period()).ifPresent(wait -> {
            throw new TooManyRequestsException(what, wait);
        });
    }

    @Scheduled(fixedDelay = 60_000)
    void forgetIdle() {
        long longestPeriod = Math.max(Math.max(settings.messagesPerAddress().period().toNanos(),
                        widgetLimits.escalations().period().toNanos()),
                Math.max(settings.messages().period().toNanos(), settings.conversations().period().toNanos()));
        buckets.forgetIdle(Duration.ofNanos(longestPeriod));
    }

    /** 429 with a Retry-After header. */
    public static class TooManyRequestsException extends ErrorResponseException {

        TooManyRequestsException(String what, Duration retryAfter) {
            super(HttpStatus.TOO_MANY_REQUESTS, problem(what, retryAfter), null);
            getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds() + 1)));
        }

        private static ProblemDetail problem(String what, Duration retryAfter) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                    "Too many " + what + "; try again in " + Math.max(1, retryAfter.toSeconds() + 1) + " seconds.");
            problem.setTitle("Too many requests");
            return problem;
        }
    }
}
