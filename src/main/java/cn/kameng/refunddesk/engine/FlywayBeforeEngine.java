package cn.kameng.refunddesk.engine;

import java.util.Arrays;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Flyway migrates the service's own tables before the engine creates Camunda's; otherwise Flyway
 * finds a non-empty schema without its history table and refuses to run.
 */
@Configuration(proxyBeanMethods = false)
class FlywayBeforeEngine {

    static final String FLYWAY_INITIALIZER = "flywayInitializer";
    static final String PROCESS_ENGINE = "processEngineFactoryBean";

    @Bean
    static BeanFactoryPostProcessor engineAfterFlyway() {
        return FlywayBeforeEngine::dependOnFlyway;
    }

    static void dependOnFlyway(ConfigurableListableBeanFactory factory) {
        if (!factory.containsBeanDefinition(FLYWAY_INITIALIZER) || !factory.containsBeanDefinition(PROCESS_ENGINE)) {
            throw new IllegalStateException("expected beans '" + FLYWAY_INITIALIZER + "' and '" + PROCESS_ENGINE
                    + "' to order Flyway before the process engine");
        }
        BeanDefinition engine = factory.getBeanDefinition(PROCESS_ENGINE);
        String[] dependsOn = engine.getDependsOn() == null ? new String[0] : engine.getDependsOn();
        String[] updated = Arrays.copyOf(dependsOn, dependsOn.length + 1);
        updated[dependsOn.length] = FLYWAY_INITIALIZER;
        engine.setDependsOn(updated);
    }
}
