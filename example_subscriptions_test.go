package telenor_test

import (
	"context"
	"fmt"

	"github.com/telenor-go/telenor"
	"github.com/telenor-go/telenor/telenortest"
)

func ExampleSystemSession_MobileSubscriptions() {
	srv := telenortest.NewServer(telenortest.WithCompanyData(2, 25))
	defer srv.Close()
	sys := newFakeClient(srv).PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)

	n := 0
	opts := telenor.SubscriptionsOptions{ProductID: telenortest.ProductDataPack, PageSize: 3}
	for sub, err := range sys.MobileSubscriptions(context.Background(), opts) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		if n++; n <= 2 {
			fmt.Println(sub.MSISDN, sub.Type, sub.UserReference1)
		}
	}
	fmt.Println("subscriptions with the data pack:", n)
	// Output:
	// 4790000001 VOICE Ansatt 1
	// 4790000005 DATA Ansatt 5
	// subscriptions with the data pack: 7
}

func ExampleSystemSession_Organizations() {
	srv := telenortest.NewServer()
	defer srv.Close()
	sys := newFakeClient(srv).PasswordGrant(telenortest.DefaultUsername, telenortest.DefaultPassword)

	orgs, err := sys.Organizations(context.Background())
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, o := range orgs {
		fmt.Println(o.OrgNumber, o.Name)
	}
	// Output:
	// 914742315 Fjordtest AS
	// 914743426 Fjordtest Drift AS
	// 914744537 Fjordtest Eiendom AS
}
