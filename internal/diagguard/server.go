package diagguard

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// listServer and actionServer are what tf6server looks for to serve list
// resources and actions (the protocol's temporary ProviderServerWith…
// interfaces, by their methods).
type (
	listServer interface {
		tfprotov6.ProviderServer
		tfprotov6.ListResourceServer
	}
	actionServer interface {
		tfprotov6.ProviderServer
		tfprotov6.ActionServer
	}
)

var (
	_ listServer   = (*Server)(nil)
	_ actionServer = (*Server)(nil)
)

// Schema and metadata calls carry no attribute diagnostics: forwarded as is.

func (s *Server) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return s.inner.GetMetadata(ctx, req)
}

func (s *Server) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return s.inner.GetProviderSchema(ctx, req)
}

func (s *Server) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return s.inner.GetResourceIdentitySchemas(ctx, req)
}

func (s *Server) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return s.inner.GetFunctions(ctx, req)
}

// CallFunction reports a FunctionError (an argument index, no path).
func (s *Server) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return s.inner.CallFunction(ctx, req)
}

func (s *Server) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return s.inner.StopProvider(ctx, req)
}

// Provider configuration.

func (s *Server) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	resp, err := s.inner.ValidateProviderConfig(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, "", kindProvider)
	}
	return resp, err
}

func (s *Server) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := s.inner.ConfigureProvider(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, "", kindProvider)
	}
	return resp, err
}

// Managed resources.

func (s *Server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	resp, err := s.inner.ValidateResourceConfig(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

func (s *Server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	resp, err := s.inner.UpgradeResourceState(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

func (s *Server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.inner.ReadResource(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

func (s *Server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.inner.PlanResourceChange(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

func (s *Server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.inner.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

func (s *Server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	resp, err := s.inner.ImportResourceState(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

func (s *Server) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	resp, err := s.inner.MoveResourceState(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TargetTypeName, kindResource)
	}
	return resp, err
}

func (s *Server) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	resp, err := s.inner.UpgradeResourceIdentity(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

func (s *Server) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	resp, err := s.inner.GenerateResourceConfig(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindResource)
	}
	return resp, err
}

// Data sources.

func (s *Server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	resp, err := s.inner.ValidateDataResourceConfig(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindData)
	}
	return resp, err
}

func (s *Server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := s.inner.ReadDataSource(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindData)
	}
	return resp, err
}

// Ephemeral resources.

func (s *Server) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	resp, err := s.inner.ValidateEphemeralResourceConfig(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindEphemeral)
	}
	return resp, err
}

func (s *Server) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	resp, err := s.inner.OpenEphemeralResource(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindEphemeral)
	}
	return resp, err
}

func (s *Server) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	resp, err := s.inner.RenewEphemeralResource(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindEphemeral)
	}
	return resp, err
}

func (s *Server) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	resp, err := s.inner.CloseEphemeralResource(ctx, req)
	if resp != nil {
		s.guard(ctx, resp.Diagnostics, req.TypeName, kindEphemeral)
	}
	return resp, err
}
