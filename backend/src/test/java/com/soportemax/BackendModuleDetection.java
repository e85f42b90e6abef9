package com.soportemax;

import org.springframework.modulith.core.ApplicationModuleDetectionStrategy;
import org.springframework.modulith.core.JavaPackage;

import java.util.stream.Stream;

/**
 * Spring Modulith's default (every direct sub-package of {@code com.soportemax} is an application module) except
 * {@code com.soportemax.inference}: the inference engine is a plain library on the classpath whose public API is
 * its {@code engine} package, not an application module with internals. Only the verification in tests detects
 * modules, so this lives in test scope, configured as {@code spring.modulith.detection-strategy} in the test
 * settings (config/application.yml).
 */
public class BackendModuleDetection implements ApplicationModuleDetectionStrategy {

    static final String ENGINE_LIBRARY = "com.soportemax.inference";

    @Override
    public Stream<JavaPackage> getModuleBasePackages(JavaPackage basePackage) {
        return ApplicationModuleDetectionStrategy.directSubPackage().getModuleBasePackages(basePackage)
                .filter(candidate -> !candidate.getName().equals(ENGINE_LIBRARY));
    }
}
