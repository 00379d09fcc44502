package provider

import (
	"context"
	"os"
	"testing"
)

// clearLogEnv unsets every logging variable for the test (restored after).
func clearLogEnv(t *testing.T) {
	t.Helper()
	for _, env := range append(append([]string{}, logRequestEnv...), sdkLogLevelEnv...) {
		t.Setenv(env, "")
		_ = os.Unsetenv(env)
	}
}

func TestSilenceUnrequestedLogs(t *testing.T) {
	t.Run("no log requested: SDK and provider loggers off", func(t *testing.T) {
		clearLogEnv(t)
		SilenceUnrequestedLogs()
		for _, env := range sdkLogLevelEnv {
			if got := os.Getenv(env); got != "OFF" {
				t.Errorf("%s = %q, want OFF", env, got)
			}
		}
		if (tflogLogger{}).DebugEnabled(context.Background()) {
			t.Error("DebugEnabled after silencing: the client would build debug lines nobody keeps")
		}
	})
	for _, env := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH", "TF_ACC_LOG", "TF_LOG_SDK_FRAMEWORK"} {
		t.Run(env+" set: loggers left alone", func(t *testing.T) {
			clearLogEnv(t)
			t.Setenv(env, "DEBUG")
			SilenceUnrequestedLogs()
			for _, e := range sdkLogLevelEnv {
				if e != env && os.Getenv(e) != "" {
					t.Errorf("%s = %q with %s set: logs the user asked for would be lost", e, os.Getenv(e), env)
				}
			}
			if !(tflogLogger{}).DebugEnabled(context.Background()) {
				t.Error("DebugEnabled = false although logs are requested")
			}
		})
	}
	t.Run("TF_LOG=off counts as no request", func(t *testing.T) {
		clearLogEnv(t)
		t.Setenv("TF_LOG", "off")
		SilenceUnrequestedLogs()
		if os.Getenv("TF_LOG_SDK") != "OFF" {
			t.Errorf("TF_LOG_SDK = %q, want OFF", os.Getenv("TF_LOG_SDK"))
		}
	})
}
