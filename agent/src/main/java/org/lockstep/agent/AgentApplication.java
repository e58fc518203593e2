package org.lockstep.agent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import sun.misc.Signal;

@SpringBootApplication
public class AgentApplication {

    public static void main(String[] args) {
        // SIGTERM (systemd, puppet, kill) is the agent's normal way out: stop cleanly and exit 0. The JVM's own
        // handler would run the same shutdown and then exit with 143, which service managers count as a failure.
        Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        SpringApplication.run(AgentApplication.class, args);
    }
}
