package cn.kameng.refunddesk.appeal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import cn.kameng.refunddesk.security.CurrentCaller;

/** The losing party's appeal of a ruling: {@code POST /api/v1/disputes/{id}/appeal {statement}}. */
@RestController
@RequestMapping(path = "/api/v1/disputes", produces = MediaType.APPLICATION_JSON_VALUE)
class AppealController {

    record AppealBody(@NotBlank @Size(max = 4000) String statement) {
    }

    private final Appeals appeals;
    private final CurrentCaller caller;

    AppealController(Appeals appeals, CurrentCaller caller) {
        this.appeals = appeals;
        this.caller = caller;
    }

    @PostMapping(path = "/{id}/appeal", consumes = MediaType.APPLICATION_JSON_VALUE)
    Appeal appeal(@PathVariable String id, @Valid @RequestBody AppealBody body) {
        return appeals.file(caller.get(), id, body.statement());
    }
}
