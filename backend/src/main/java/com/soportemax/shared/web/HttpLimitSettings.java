package com.soportemax.shared.web;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How much of the server one client may take ({@code soportemax.http.*}), enforced before a request reaches the
 * security filters, a session or the database. A client's address is the TCP peer, or, from a trusted proxy
 * ({@code server.tomcat.remoteip.internal-proxies}), the address the proxy reports; the proxy's own address holds
 * many customers and is never capped.
 *
 * @param widgetBody            largest body of a widget or agent API call (a message is at most 4,000 characters)
 * @param apiBody               largest body of any other API call (knowledge imports)
 * @param connectionsPerAddress open TCP connections one address may hold; more are closed as they are accepted
 *                              (slow-header clients take a connection each without ever becoming a request)
 * @param requestsPerSecond     requests per second one address may send, averaged; past it 429 with Retry-After
 * @param requestBurst          requests one address may send at once above that average (a page and its assets)
 */
@Validated
@ConfigurationProperties("soportemax.http")
public record HttpLimitSettings(@NotNull @DefaultValue("64KB") DataSize widgetBody,
                                @NotNull @DefaultValue("20MB") DataSize apiBody,
                                @Min(1) @DefaultValue("64") int connectionsPerAddress,
                                @Min(1) @DefaultValue("50") int requestsPerSecond,
                                @Min(1) @DefaultValue("100") int requestBurst) {
}
