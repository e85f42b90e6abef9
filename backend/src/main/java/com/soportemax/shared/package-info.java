/** Infrastructure every module may use: the embedded database, clock. */
@org.springframework.modulith.ApplicationModule(displayName = "Shared", type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package com.soportemax.shared;
