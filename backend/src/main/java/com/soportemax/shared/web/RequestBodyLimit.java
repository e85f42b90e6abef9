package com.soportemax.shared.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Caps API request bodies before anything reads them: a declared length over the cap is answered 413 at once; a
 * body without a length (chunked) is read up to the cap and refused the moment it passes it. Runs ahead of the
 * security filters, so an unauthenticated client cannot make the server buffer a large body either.
 */
@Configuration(proxyBeanMethods = false)
class RequestBodyLimit {

    @Bean
    FilterRegistrationBean<BodyLimitFilter> requestBodyLimitFilter(HttpLimitSettings settings) {
        FilterRegistrationBean<BodyLimitFilter> registration = new FilterRegistrationBean<>(new BodyLimitFilter(settings));
        registration.addUrlPatterns("/api/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    static final class BodyLimitFilter extends OncePerRequestFilter {

        private final HttpLimitSettings settings;

        BodyLimitFilter(HttpLimitSettings settings) {
            this.settings = settings;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String path = request.getRequestURI().substring(request.getContextPath().length());
            long limit = path.startsWith("/api/widget/") || path.startsWith("/api/agent/")
                    ? settings.widgetBody().toBytes() : settings.apiBody().toBytes();
            long declared = request.getContentLengthLong();
            if (declared > limit) {
                tooLarge(response, limit);
                return;
            }
            if (declared < 0 && hasBody(request)) {
                byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
                if (body.length > limit) {
                    tooLarge(response, limit);
                    return;
                }
                chain.doFilter(new BufferedBody(request, body), response);
                return;
            }
            chain.doFilter(request, response);
        }

        private static boolean hasBody(HttpServletRequest request) {
            return request.getHeader("Transfer-Encoding") != null;
        }

        private static void tooLarge(HttpServletResponse response, long limit) throws IOException {
            response.setStatus(413);
            response.setHeader("Connection", "close");
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Request body too large\","
                    + "\"status\":413,\"detail\":\"The request body is larger than " + limit
                    + " bytes, the most this API accepts.\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A request whose body was read ahead (to check its size) and is served from memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    try {
                        return in.available() == 0;
                    } catch (IOException e) {
                        return true;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was already read");
                }

                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
