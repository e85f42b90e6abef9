/** Whether the assistant helps: conversation outcomes, escalations, response times, ratings and knowledge gaps. */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics")
package com.soportemax.analytics;
