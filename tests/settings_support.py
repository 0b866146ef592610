"""Settings values every test shares."""

# Any 32 bytes in base64: what MASTER_KEY must hold in a real deployment.
TEST_MASTER_KEY = "dGVzdC1tYXN0ZXIta2V5LTAxMjM0NTY3ODlhYmNkZWY="
