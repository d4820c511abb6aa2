package cn.kameng.refunddesk.security;

import jakarta.servlet.http.HttpServletResponse;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

import cn.kameng.refunddesk.dispute.Caller;

/**
 * /api/v1: customers and merchants sign in with the identity provider's JWT when dispute.security.jwt is enabled
 * (HTTP Basic for them only where dispute.security.basic-for-parties is true: the demo profile); staff with HTTP
 * Basic against Camunda's identity service (its database, or the company directory through Camunda's LDAP plugin).
 * /engine-rest requires HTTP Basic against Camunda's identity service; a read under
 * /api/v1 also accepts the session of a user signed in to the Camunda webapps, so the links in a
 * Tasklist form open ({@link WebappSessionAuthentication}). The Camunda webapps (/camunda) keep their
 * own login; authorization is enabled in the engine.
 */
@Configuration
@EnableConfigurationProperties({JwtSettings.class, OAuth2ResourceServerProperties.class})
class SecurityConfig {

    /** Links out of Tasklist or Cockpit (evidence, the dossier) tell other sites no path or dispute id. */
    static final org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy REFERRER_POLICY =
            org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN;

    /**
     * Strict-Transport-Security: behind TLS on every answer (TLS may end at a proxy, so the request itself may look
     * plain); otherwise Spring's default, on requests that are secure.
     */
    private static void hsts(
            org.springframework.security.config.annotation.web.configurers.HeadersConfigurer<HttpSecurity>.HstsConfig hsts,
            boolean behindTls) {
        if (behindTls) {
            hsts.requestMatcher(org.springframework.security.web.util.matcher.AnyRequestMatcher.INSTANCE)
                    .includeSubDomains(true).maxAgeInSeconds(31_536_000);
        }
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, CamundaIdentityAuthenticationProvider provider, IdentityService identity,
            JwtSettings jwt, OAuth2ResourceServerProperties resourceServer,
            @org.springframework.beans.factory.annotation.Value("${dispute.security.behind-tls:false}") boolean behindTls,
            @org.springframework.beans.factory.annotation.Value("${dispute.security.basic-for-parties:false}")
            boolean basicForParties)
            throws Exception {
        SignInProblems problems = new SignInProblems(jwt.enabled());
        // The API and its description (/v3/api-docs, springdoc) are for signed-in callers only.
        http.securityMatcher("/api/**", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml")
                .addFilterBefore(new WebappSessionAuthentication(identity, basicForParties),
                        BasicAuthenticationFilter.class)
                .csrf(csrf -> csrf.disable())
                .headers(h -> h.referrerPolicy(r -> r.policy(REFERRER_POLICY))
                        .httpStrictTransportSecurity(t -> hsts(t, behindTls)))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // The provider is the application's one AuthenticationProvider bean, so Spring uses it as the global
                // one; registered here as well, a wrong password was checked (and counted) twice.
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/api/v1/payment-notifications/**").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.POST,
                                "/api/v1/channels/*/complaint-notifications").permitAll()
                        // The platform's deposit events: its HMAC signature is the authentication (platform/)
                        .requestMatchers(org.springframework.http.HttpMethod.POST,
                                "/api/v1/platform/deposit-events").permitAll()
                        // The sandbox steers orders, gateways and settlements of everybody: operations and
                        // administrators only. Its chat is the order's own parties' (checked there, each line
                        // in the caller's name).
                        .requestMatchers(org.springframework.http.HttpMethod.POST, "/api/v1/sandbox/orders/*/chat")
                        .authenticated()
                        .requestMatchers("/api/v1/sandbox/**").hasAnyAuthority(
                                CamundaIdentityAuthenticationProvider.GROUP_PREFIX + Caller.ADMINS,
                                CamundaIdentityAuthenticationProvider.GROUP_PREFIX + Caller.OPERATIONS)
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(denied()));
        if (jwt.enabled()) {
            // Customers and merchants: the identity provider's JWT, as the same Caller a password gave before.
            var decoder = jwt.decoder(resourceServer.getJwt());
            http.oauth2ResourceServer(o -> o
                    .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(new PartyTokens(jwt)))
                    .authenticationEntryPoint(problems)
                    // an unreadable key set is answered 503 by the entry point, not rethrown as a 500
                    .withObjectPostProcessor(new org.springframework.security.config.ObjectPostProcessor<
                            org.springframework.security.oauth2.server.resource.web.authentication
                                    .BearerTokenAuthenticationFilter>() {
                        @Override
                        public <O extends org.springframework.security.oauth2.server.resource.web.authentication
                                .BearerTokenAuthenticationFilter> O postProcess(O filter) {
                            filter.setAuthenticationFailureHandler(problems::commence);
                            return filter;
                        }
                    }));
        }
        return http.build();
    }

    /** The metrics scrape: operations (and administrators) only, by HTTP Basic as a Camunda user; nobody else. */
    @Bean
    @org.springframework.core.annotation.Order(0)
    SecurityFilterChain metrics(HttpSecurity http) throws Exception {
        http.securityMatcher("/actuator/prometheus")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.anyRequest().hasAnyAuthority(
                        CamundaIdentityAuthenticationProvider.GROUP_PREFIX + Caller.OPERATIONS,
                        CamundaIdentityAuthenticationProvider.GROUP_PREFIX + Caller.ADMINS))
                .httpBasic(basic -> basic.authenticationEntryPoint(new SignInProblems(false)))
                .exceptionHandling(e -> e.authenticationEntryPoint(new SignInProblems(false))
                        .accessDeniedHandler(denied()));
        return http.build();
    }

    @Bean
    SecurityFilterChain everythingElse(HttpSecurity http,
            @org.springframework.beans.factory.annotation.Value("${dispute.security.behind-tls:false}") boolean behindTls)
            throws Exception {
        // Camunda's webapps bring their own session login and CSRF protection; /engine-rest is
        // guarded by Camunda's own authentication filter below.
        http.csrf(csrf -> csrf.disable())
                .headers(h -> h.frameOptions(f -> f.sameOrigin()).referrerPolicy(r -> r.policy(REFERRER_POLICY))
                        .httpStrictTransportSecurity(t -> hsts(t, behindTls)))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration = new FilterRegistrationBean<>(
                new ProcessEngineAuthenticationFilter());
        registration.setName("camunda-engine-rest-auth");
        registration.addUrlPatterns("/engine-rest/*");
        registration.addInitParameter("authentication-provider", HttpBasicAuthenticationProvider.class.getName());
        registration.setOrder(101);
        return registration;
    }

    /**
     * Camunda's webapp CSRF check with its settings ({@code camunda.bpm.webapp.csrf.*}) and URLs, under its name, so
     * the webapp initializer uses it instead of its own: a refused request no longer signs the staff user out.
     */
    @Bean
    FilterRegistrationBean<CsrfCheckKeepsSession> csrfCheckKeepsSession(CamundaBpmProperties camunda) {
        FilterRegistrationBean<CsrfCheckKeepsSession> registration = new FilterRegistrationBean<>(
                new CsrfCheckKeepsSession());
        registration.setName(CsrfCheckKeepsSession.FILTER_NAME);
        String webapps = camunda.getWebapp().getApplicationPath();
        registration.addUrlPatterns(webapps + "/api/*", webapps + "/app/*");
        registration.setInitParameters(camunda.getWebapp().getCsrf().getInitParams());
        registration.setOrder(103);
        return registration;
    }

    /** Before Camunda's password checks (order 101): the same per-source throttle as /api/v1. */
    @Bean
    FilterRegistrationBean<SignInThrottleFilter> signInThrottleFilter(SignInThrottle throttle) {
        FilterRegistrationBean<SignInThrottleFilter> registration = new FilterRegistrationBean<>(
                new SignInThrottleFilter(throttle));
        registration.setName("sign-in-throttle");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/admin/auth/user/*");
        registration.setOrder(100);
        return registration;
    }

    /** After Camunda's authentication of /engine-rest (order 101): customers and merchants stop here. */
    @Bean
    FilterRegistrationBean<StaffOnlyEngineDoor> staffOnlyEngineDoor(IdentityService identity) {
        FilterRegistrationBean<StaffOnlyEngineDoor> registration = new FilterRegistrationBean<>(
                new StaffOnlyEngineDoor(identity));
        registration.setName("staff-only-engine-door");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/*");
        registration.setOrder(102);
        return registration;
    }

    private static AccessDeniedHandler denied() {
        return (request, response, e) -> SignInProblems.write(response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", e.getMessage());
    }
}
