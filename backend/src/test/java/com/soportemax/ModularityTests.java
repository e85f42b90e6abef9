package com.soportemax;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModularityTests {

    @Test
    void modulesOnlyTalkThroughTheirPublicApiAndEvents() {
        ApplicationModules.of(SoporteMaxApplication.class).verify();
    }
}
