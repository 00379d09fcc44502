package stripekey

import "errors"

func asAccountError(err error, target **AccountError) bool { return errors.As(err, target) }
