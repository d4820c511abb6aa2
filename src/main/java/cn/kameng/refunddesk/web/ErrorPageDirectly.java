package cn.kameng.refunddesk.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /error} is where the container forwards a failed request; asked for directly (anyone may), there
 * is no error to show, and Spring's error controller would answer 500. A direct request is 404 problem+json.
 */
@Configuration
class ErrorPageDirectly {

    /** A URL Spring Security's firewall refuses (e.g. {@code //}, an encoded period): 400 problem+json. */
    @Bean
    org.springframework.security.web.firewall.RequestRejectedHandler requestRejectedAsProblem() {
        return (request, response, e) -> {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                    + "\"detail\":\"the URL or a header was refused: " + e.getMessage().replace("\"", "'")
                    .replace("\\", "/") + "\"}");
        };
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> directErrorPageIsNotFound() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                response.setStatus(HttpServletResponse.SC_NOT_FOUND);
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"there is nothing at /error\"}");
            }
        });
        registration.addUrlPatterns("/error", "/error/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setName("direct-error-page-is-not-found");
        registration.setOrder(Integer.MIN_VALUE + 10);
        return registration;
    }
}
