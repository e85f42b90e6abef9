package com.soportemax.shared.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

import java.time.Duration;
import java.util.Locale;

/**
 * The language of the staff pages: the one the person chose ({@code ?lang=en} or {@code ?lang=es}, kept in a cookie
 * for a year), else the first of Spanish and English their browser prefers (Accept-Language), else Spanish.
 */
@Configuration(proxyBeanMethods = false)
class StaffPagesLocale implements WebMvcConfigurer {

    @Bean
    LocaleResolver localeResolver() {
        CookieLocaleResolver resolver = new CookieLocaleResolver("soportemax-lang");
        // Without a choice, the browser's preference between the two languages the pages speak; Spanish otherwise.
        resolver.setDefaultLocaleFunction(request -> {
            if (request.getHeader("Accept-Language") == null) {
                return Locale.forLanguageTag("es");
            }
            for (java.util.Enumeration<Locale> preferred = request.getLocales(); preferred.hasMoreElements(); ) {
                String language = preferred.nextElement().getLanguage();
                if (language.equals("es") || language.equals("en")) {
                    return Locale.forLanguageTag(language);
                }
            }
            return Locale.forLanguageTag("es");
        });
        resolver.setCookieMaxAge(Duration.ofDays(365));
        return resolver;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName("lang");
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change).excludePathPatterns("/api/**", "/demo", "/demo/**");
    }
}
