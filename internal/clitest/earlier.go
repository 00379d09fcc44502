package clitest

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// ErrNoHistory is returned by BuildProviderAt when the repository's git
// history does not hold the commit (a shallow clone, a source archive).
var ErrNoHistory = errors.New("the git history does not hold the commit")

var earlier sync.Map // commit -> *earlierBuild

type earlierBuild struct {
	once sync.Once
	dir  string
	err  error
}

// BuildProviderAt builds the provider as it was at git commit rev of this
// repository (its files from git archive, built like ProviderDir) once per
// test process, and returns the directory holding the binary: state
// written by an earlier build is the input of upgrade tests.
func BuildProviderAt(t testing.TB, rev string) (string, error) {
	t.Helper()
	v, _ := earlier.LoadOrStore(rev, &earlierBuild{})
	b, ok := v.(*earlierBuild)
	if !ok {
		return "", fmt.Errorf("clitest: unexpected build cache entry %T", v)
	}
	b.once.Do(func() { b.dir, b.err = buildAt(rev) })
	return b.dir, b.err
}

func buildAt(rev string) (string, error) {
	ctx := context.Background()
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	if err := exec.CommandContext(ctx, "git", "-C", root, "cat-file", "-e", rev+"^{commit}").Run(); err != nil { //nolint:gosec // a commit named by a test
		return "", fmt.Errorf("%w: %s", ErrNoHistory, rev)
	}
	src, err := os.MkdirTemp("", "clitest-earlier-src-")
	if err != nil {
		return "", err
	}
	defer func() { _ = os.RemoveAll(src) }()
	archive := exec.CommandContext(ctx, "git", "-C", root, "archive", "--format=tar", rev) //nolint:gosec // a commit named by a test
	out, err := archive.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := archive.Start(); err != nil {
		return "", err
	}
	if err := untar(out, src); err != nil {
		_ = archive.Wait()
		return "", fmt.Errorf("git archive %s: %w", rev, err)
	}
	if err := archive.Wait(); err != nil {
		return "", fmt.Errorf("git archive %s: %w", rev, err)
	}
	dir, err := os.MkdirTemp("", "clitest-earlier-")
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", filepath.Join(dir, "terraform-provider-"+ProviderType), ".") //nolint:gosec // fixed arguments
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("go build at %s: %w\n%s", rev, err, out)
	}
	return dir, nil
}

// RemoveEarlierBuilds deletes the binaries BuildProviderAt built.
func RemoveEarlierBuilds() {
	earlier.Range(func(_, v any) bool {
		if b, ok := v.(*earlierBuild); ok && b.dir != "" {
			_ = os.RemoveAll(b.dir)
		}
		return true
	})
}

func moduleRoot() (string, error) {
	mod, err := exec.CommandContext(context.Background(), "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	return filepath.Dir(strings.TrimSpace(string(mod))), nil
}

// untar extracts the regular files and directories of a tar stream into dir.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(name, filepath.Clean(dir)+string(os.PathSeparator)) {
			return fmt.Errorf("unexpected path %q in the archive", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, 0o755); err != nil { //nolint:gosec // a build tree
				return err
			}
		case tar.TypeReg:
			if err := writeFile(name, tr, h.FileInfo().Mode().Perm()); err != nil {
				return err
			}
		}
	}
}

func writeFile(name string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil { //nolint:gosec // a build tree
		return err
	}
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm) //nolint:gosec // a path inside the extraction dir
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil { //nolint:gosec // our own repository's files
		_ = f.Close()
		return err
	}
	return f.Close()
}
