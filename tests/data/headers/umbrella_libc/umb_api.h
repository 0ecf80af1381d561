int umbApiCall(int x);
