package diagguard

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// List resources and actions are optional protocol interfaces; a wrapped
// server without them answers with an error diagnostic.

func (s *Server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	inner, ok := s.inner.(listServer)
	if !ok {
		return &tfprotov6.ValidateListResourceConfigResponse{Diagnostics: unsupported("list resources")}, nil
	}
	resp, err := inner.ValidateListResourceConfig(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindList, kindResource)
	}
	return resp, err
}

// ListResource guards the diagnostics of each streamed result.
func (s *Server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	inner, ok := s.inner.(listServer)
	if !ok {
		return &tfprotov6.ListResourceServerStream{Results: func(yield func(tfprotov6.ListResourceResult) bool) {
			yield(tfprotov6.ListResourceResult{Diagnostics: unsupported("list resources")})
		}}, nil
	}
	stream, err := inner.ListResource(ctx, req)
	if stream == nil || stream.Results == nil {
		return stream, err
	}
	results := stream.Results
	stream.Results = func(yield func(tfprotov6.ListResourceResult) bool) {
		for r := range results {
			s.guard(ctx, r.Diagnostics, req.TypeName, kindList, kindResource)
			if !yield(r) {
				return
			}
		}
	}
	return stream, err
}

func (s *Server) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	inner, ok := s.inner.(actionServer)
	if !ok {
		return &tfprotov6.ValidateActionConfigResponse{Diagnostics: unsupported("actions")}, nil
	}
	resp, err := inner.ValidateActionConfig(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.ActionType, kindAction)
	}
	return resp, err
}

func (s *Server) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	inner, ok := s.inner.(actionServer)
	if !ok {
		return &tfprotov6.PlanActionResponse{Diagnostics: unsupported("actions")}, nil
	}
	resp, err := inner.PlanAction(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.ActionType, kindAction)
	}
	return resp, err
}

// InvokeAction guards the diagnostics of the completed event.
func (s *Server) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	inner, ok := s.inner.(actionServer)
	if !ok {
		return &tfprotov6.InvokeActionServerStream{Events: func(yield func(tfprotov6.InvokeActionEvent) bool) {
			yield(tfprotov6.InvokeActionEvent{Type: tfprotov6.CompletedInvokeActionEventType{Diagnostics: unsupported("actions")}})
		}}, nil
	}
	stream, err := inner.InvokeAction(ctx, req)
	if stream == nil || stream.Events == nil {
		return stream, err
	}
	events := stream.Events
	stream.Events = func(yield func(tfprotov6.InvokeActionEvent) bool) {
		for ev := range events {
			if c, ok := ev.Type.(tfprotov6.CompletedInvokeActionEventType); ok {
				s.guard(ctx, c.Diagnostics, req.ActionType, kindAction)
			}
			if !yield(ev) {
				return
			}
		}
	}
	return stream, err
}

func unsupported(what string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  "Unsupported protocol call",
		Detail:   "This provider does not implement " + what + ".",
	}}
}
