module example.com/go-echo

go 1.19
