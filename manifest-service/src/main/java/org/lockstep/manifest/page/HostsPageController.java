package org.lockstep.manifest.page;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.HttpServletResponse;

import org.lockstep.manifest.api.RepoStatus;
import org.lockstep.manifest.api.StatusViews;
import org.lockstep.manifest.rollout.HostState;
import org.lockstep.protocol.InvalidInputException;
import org.springframework.http.CacheControl;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Every host of one repository, page by page and by state, for a fleet too large to list on the overview (which
 * shows the counts and the hosts that need a look). The same rows as the overview's, rendered by its fragment.
 */
@Controller
class HostsPageController {

    static final int PAGE = 100;

    private final RepoPanels panels;

    private final StatusViews views;

    HostsPageController(RepoPanels panels, StatusViews views) {
        this.panels = panels;
        this.views = views;
    }

    @GetMapping("/repos/{repo}/hosts")
    String hosts(@PathVariable String repo, @RequestParam(required = false) String state,
                 @RequestParam(defaultValue = "0") int page, Model model, HttpServletResponse response) {
        response.setHeader("Cache-Control", CacheControl.noStore().getHeaderValue());
        Optional<HostState> wanted = state == null || state.isEmpty() ? Optional.empty()
                : Arrays.stream(HostState.values()).filter(s -> s.label().equals(state)).findFirst();
        if (state != null && !state.isEmpty() && wanted.isEmpty()) {
            throw new InvalidInputException("state", "no host state is called that");
        }
        if (page < 0 || page > Integer.MAX_VALUE / PAGE) {
            throw new InvalidInputException("page", "page must be between 0 and " + Integer.MAX_VALUE / PAGE);
        }
        RepoStatus status = views.repo(repo);
        long total = views.hosts(repo, wanted, 0, 1).total();
        List<RepoPanel.HostRow> rows = panels.rows(repo, wanted, page, PAGE);
        model.addAttribute("repo", repo);
        model.addAttribute("hostCounts", RepoPanels.hostCounts(status));
        model.addAttribute("states", Arrays.stream(HostState.values()).map(HostState::label).toList());
        model.addAttribute("state", wanted.map(HostState::label).orElse(null));
        model.addAttribute("page", page);
        model.addAttribute("total", total);
        model.addAttribute("first", (long) page * PAGE);
        model.addAttribute("last", Math.min(total, (long) page * PAGE + rows.size()));
        model.addAttribute("rows", rows);
        return "hosts";
    }
}
