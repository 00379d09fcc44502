package provider

import (
	"context"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// tflogLogger sends the API client's request log to Terraform's log. The
// client masks secrets in bodies and headers before they get here.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

// DebugEnabled is false only when no Terraform logging is configured at all
// (no TF_LOG* variable in the provider's environment), so that masking
// request bodies for debug lines nobody keeps costs nothing on normal runs.
func (tflogLogger) DebugEnabled(context.Context) bool { return logsRequested() }

// logRequestEnv are the variables with which a user asks for logs of
// Terraform, OpenTofu, the acceptance tests or the plugin SDK.
var logRequestEnv = []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_APICONNECT", "TF_LOG_PATH", "TF_LOG_PATH_MASK",
	"TF_ACC_LOG", "TF_ACC_LOG_PATH", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// sdkLogLevelEnv set the levels of the plugin SDK's loggers (protocol,
// framework) and of this provider's own (tflog).
var sdkLogLevelEnv = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_APICONNECT"}

// logsRequested reports whether any logging variable is set to a level
// (OFF counts as unset).
func logsRequested() bool {
	for _, env := range logRequestEnv {
		if v := os.Getenv(env); v != "" && !strings.EqualFold(v, "off") {
			return true
		}
	}
	return false
}

// SilenceUnrequestedLogs turns the plugin SDK's and the provider's loggers
// off when nobody asked for logs. Unset, they log at TRACE: hundreds of JSON
// lines per resource on stderr, which Terraform reads and parses only to
// discard them (it keeps provider logs only with TF_LOG or TF_LOG_PROVIDER);
// on a 600-resource apply that parsing was about 5 % of Terraform's CPU
// time. The provider's main calls it before serving.
func SilenceUnrequestedLogs() {
	if logsRequested() {
		return
	}
	for _, env := range sdkLogLevelEnv {
		_ = os.Setenv(env, "OFF")
	}
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

// maskSecrets makes tflog replace the given values wherever they would
// appear in a log message or field, as a second line of defence.
func maskSecrets(ctx context.Context, secrets ...string) context.Context {
	var vals []string
	for _, s := range secrets {
		if s != "" {
			vals = append(vals, s)
		}
	}
	if len(vals) == 0 {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, vals...)
	return tflog.MaskMessageStrings(ctx, vals...)
}
