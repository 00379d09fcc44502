package provider

import (
	"context"
	"os"

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
func (tflogLogger) DebugEnabled(context.Context) bool {
	for _, env := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_APICONNECT", "TF_LOG_PATH", "TF_LOG_PATH_MASK", "TF_ACC_LOG", "TF_ACC_LOG_PATH"} {
		if os.Getenv(env) != "" {
			return true
		}
	}
	return false
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
