package org.lockstep.manifest.page;

import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.auth.Caller;
import org.lockstep.manifest.auth.OperatorSessions;
import org.springframework.http.CacheControl;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The operator page, the live fragment its script re-fetches, and sign-in. Reading is open to everyone; the page
 * shows the actions only to a signed-in operator.
 */
@Controller
class OperatorPageController {

    private final RepoPanels panels;

    private final OperatorSessions sessions;

    private final PageProperties properties;

    private final Clock clock;

    OperatorPageController(RepoPanels panels, OperatorSessions sessions, PageProperties properties, Clock clock) {
        this.panels = panels;
        this.sessions = sessions;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/")
    String page(Model model, @AuthenticationPrincipal Caller caller, HttpServletResponse response) {
        live(model, caller, response);
        model.addAttribute("refreshMillis", properties.refreshInterval().toMillis());
        model.addAttribute("dashboardUrl", properties.dashboardLink());
        return "operator";
    }

    /** The parts of the page that change, rendered by the same template fragments as the page. */
    @GetMapping("/fragments/repos")
    String fragment(Model model, @AuthenticationPrincipal Caller caller, HttpServletResponse response) {
        live(model, caller, response);
        return "operator-parts :: live";
    }

    @GetMapping("/signin")
    String signInForm(@AuthenticationPrincipal Caller caller) {
        return caller != null ? "redirect:/" : "signin";
    }

    @PostMapping("/signin")
    String signIn(@RequestParam(required = false) String token, HttpServletRequest request,
                  HttpServletResponse response, RedirectAttributes redirect) {
        return sessions.signIn(token, request, response).map(caller -> {
            redirect.addFlashAttribute("flash", Flash.ok("Signed in as " + caller.name() + "."));
            return "redirect:/";
        }).orElseGet(() -> {
            redirect.addFlashAttribute("flash", Flash.error("That is not an operator token of this manifest."));
            return "redirect:/signin";
        });
    }

    private void live(Model model, Caller caller, HttpServletResponse response) {
        response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
        model.addAttribute("repos", panels.all());
        model.addAttribute("operator", caller);
        model.addAttribute("updated", Times.clock(clock.instant()));
    }
}
